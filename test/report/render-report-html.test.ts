import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/report/index.js';
import { emptyReportFixture, reportFixture } from '../helpers/report-fixture.js';

describe('renderReportHtml', () => {
  const fr = renderReportHtml(reportFixture('fr'), 'fr');
  const en = renderReportHtml(reportFixture('en'), 'en');

  it('is a complete page in the report’s language, readable on a phone and printable', () => {
    expect(fr.startsWith('<!DOCTYPE html>\n<html lang="fr">')).toBe(true);
    expect(en).toContain('<html lang="en">');
    expect(fr).toContain('<meta charset="utf-8">');
    expect(fr).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(fr).toContain('@media print');
    expect(fr).toContain('.table-wrap{overflow-x:auto');
    expect(fr.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('fetches nothing: no script, no external URL in any src, href, url() or @import', () => {
    expect(fr).not.toMatch(/<script/i);
    expect(fr).not.toMatch(/\s(src|href|xlink:href)\s*=/i);
    expect(fr).not.toMatch(/url\(|@import|<link|<iframe|<object|<embed|<img/i);
    expect(fr).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
  });

  it('has one h1, an h2 per section and h3 only under an h2', () => {
    const levels = [...fr.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]));
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i += 1)
      expect(levels[i]).toBeLessThanOrEqual((levels[i - 1] ?? 1) + 1);
    expect(levels.filter((l) => l === 2)).toHaveLength(10);
  });

  it('draws the trend and the severity bars as titled inline SVG', () => {
    const svgs = [...fr.matchAll(/<svg [^>]*>/g)].map((m) => m[0]);
    expect(svgs).toHaveLength(2);
    for (const svg of svgs) expect(svg).toMatch(/role="img" aria-labelledby="[\w-]+-title"/);
    expect(fr).toContain('<title id="trend-chart-title">Évolution de l’indice de posture (0 à 100)</title>');
    expect(fr).toContain('<title id="severity-chart-title">Constats ouverts par sévérité</title>');
    expect(fr).toMatch(/<polyline [^>]*points="(?:[\d.]+,[\d.]+ ){5}[\d.]+,[\d.]+"/);
  });

  it('shows the index, its delta and the values of the trend', () => {
    expect(fr).toContain('<strong>72,5</strong>/100');
    expect(fr).toContain('class="delta delta-up"><span aria-hidden="true">▲</span> +3 depuis le 2025-03-24');
    expect(fr).toContain('58 → 61,5 → 64 → 63 → 69,5 → 72,5');
  });

  it('strikes waived findings through (<del>) with the reason', () => {
    expect(fr).toContain(
      '<del>TLS 1.0 accepté</del><span class="waiver">Dérogation : Client historique &lt;b&gt;XP&lt;/b&gt; : migration prévue au T3, &quot;budget voté&quot; (jusqu’au 2025-09-30, par RSSI Dupont)</span>',
    );
    expect(en).toContain('<del>TLS 1.0 accepted</del><span class="waiver">Waived: Client historique');
  });

  it('escapes every hostile value', () => {
    expect(fr).not.toContain('<script>');
    expect(fr).not.toContain('<b>XP');
    expect(fr).toContain('&lt;script&gt;alert(&quot;owner&quot;)&lt;/script&gt; &amp; Cie');
    expect(fr).toContain('&lt;script&gt;alert(&#39;evidence&#39;)&lt;/script&gt;');
    expect(fr).toContain('<code>&lt;script&gt;alert(&quot;spf&quot;)&lt;/script&gt; +all</code>');
    expect(fr).toContain(
      '<title>Posture de sécurité — Métropole &lt;Exemple&gt; &amp; &quot;Cie&quot;</title>',
    );
    expect(fr).not.toContain('\u0007');
  });

  it('gives every table column headers and a label for its scrolling box', () => {
    const tables = fr.match(/<table[ >]/g) ?? [];
    expect(tables.length).toBe(7);
    expect(fr.match(/<thead><tr><th scope="col"/g)).toHaveLength(tables.length);
    expect(fr.match(/<div class="table-wrap" role="region" aria-label="[^"]+" tabindex="0">/g)).toHaveLength(
      tables.length,
    );
  });

  it('still renders a page before any run', () => {
    const html = renderReportHtml(emptyReportFixture('fr'), 'fr');
    expect(html).toContain('Aucune analyse enregistrée');
    expect(html).toContain('pas encore d’historique');
    expect(html).not.toContain('<polyline');
  });
});

describe('renderReportHtml — TLS detail per endpoint', () => {
  const report = reportFixture('fr');
  const first = report.endpoints[0]!;
  first.tlsGrade = {
    grade: 'A',
    score: 90,
    protocolScore: 100,
    keyExchangeScore: 90,
    cipherScore: 90,
    caps: [],
    warnings: [],
    scoringVersion: 'test',
  };
  first.tlsDetail = {
    protocols: ['tls1.2', 'tls1.3'],
    certificate: { subject: 'CN=<script>x</script>', issuer: 'CN=AC', notAfter: '2027-01-01T00:00:00.000Z' },
    enumeration: {
      handshakes: 12,
      truncated: false,
      versions: { 'tls1.3': { suites: ['TLS_AES_128_GCM_SHA256'], serverOrder: null } },
      groups: ['X25519MLKEM768', 'x25519'],
      postQuantum: true,
      compression: false,
      secureRenegotiation: true,
      ocspStapling: null,
    },
    postQuantum: true,
    profiles: {
      anssi: { version: '1.2', conformant: true, violations: [], notEvaluated: [], degraded: [] },
      'mozilla-modern': {
        version: '5.8',
        conformant: false,
        violations: [{ rule: 'versions', observed: 'TLS 1.2' }],
        notEvaluated: [],
        degraded: [],
      },
    },
  };
  const html = renderReportHtml(report, 'fr');

  it('shows the grade, suites, groups, post-quantum readiness and each profile’s verdict', () => {
    expect(html).toContain('<h2 id="tls-detail">Détail TLS par point d’accès</h2>');
    expect(html).toMatch(/<summary>[^<]+ — note TLS A<\/summary>/);
    expect(html).toContain('<dd>X25519MLKEM768, x25519</dd>');
    expect(html).toContain('<dt>post-quantique (hybride accepté)</dt><dd>oui</dd>');
    expect(html).toContain('anssi@1.2 : conforme ; mozilla-modern@5.8 : non conforme (versions)');
  });

  it('escapes what the server sent', () => {
    expect(html).not.toContain('<script>x');
    expect(html).toContain('CN=&lt;script&gt;x&lt;/script&gt;');
  });
});
