import { describe, expect, it } from 'vitest';
import { renderReportMarkdown } from '../../src/report/index.js';
import { emptyReportFixture, reportFixture } from '../helpers/report-fixture.js';

describe('renderReportMarkdown', () => {
  const fr = renderReportMarkdown(reportFixture('fr'), 'fr');
  const en = renderReportMarkdown(reportFixture('en'), 'en');

  it('has one title and a section per topic, in order', () => {
    const headings = fr.split('\n').filter((l) => /^#{1,2} /.test(l));
    expect(headings).toEqual([
      '# Posture de sécurité — Métropole &lt;Exemple&gt; & "Cie"',
      '## Indice de posture',
      '## Constats ouverts par sévérité',
      '## Risques principaux',
      '## Évolutions depuis le 2025-03-24',
      '## Certificats expirant sous 30 jours',
      '## Domaines : DNS et messagerie',
      '## Par responsable',
      '## Par catégorie',
      '## Dérogations (se conformer ou expliquer)',
      '## Constats ouverts et dérogés (7)',
    ]);
  });

  it('tabulates each domain’s records, in the report’s language, absent ones named', () => {
    expect(fr).toContain(
      '| exemple.fr | v=spf1 mx include:\\_spf.prestataire.fr -all | v=DMARC1; p=reject; rua=mailto:dmarc@exemple.fr | signée, validée | letsencrypt.org | enforce | 10 mx.exemple.fr | 0 |',
    );
    expect(fr).toMatch(
      /\| exemple-mairie\.fr \| .* \| absent \| non signée \| absent \| absent \| — \| 5 \|/,
    );
    expect(en).toContain('| signed, validated |');
  });

  it('gives the index, its delta and the trend', () => {
    expect(fr).toContain('**72,5/100** · +3 depuis le 2025-03-24');
    expect(fr).toContain('Tendance : `▁▃▄▃▇█` 58 → 61,5 → 64 → 63 → 69,5 → 72,5');
    expect(en).toContain('**72.5/100** · +3 since 2025-03-24');
  });

  it('strikes a waived finding through, with its reason, until and by', () => {
    expect(fr).toMatch(
      /\| ~~TLS 1\.0 accepté~~ `tls\.protocol\.tls10` \| `www\.exemple\.fr:443` \| Client historique &lt;b&gt;XP&lt;\/b&gt; : migration prévue au T3, "budget voté" \| 2025-09-30 \| RSSI Dupont \|/,
    );
    expect(fr).toContain('~~TLS 1.0 accepté~~ — *Dérogation : Client historique');
    expect(en).toContain('~~TLS 1.0 accepted~~ — *Waived: Client historique');
  });

  it('lists top risks with owner and remediation, and the changes', () => {
    expect(fr).toContain('1. **critique** — Certificat expiré — `www.exemple.fr:443` · `tls.cert.expired`');
    expect(fr).toContain(
      '   - Correction : Renouvelez le certificat et automatisez le renouvellement (ACME).',
    );
    expect(fr).toContain('### Nouveaux constats (2)');
    expect(fr).toMatch(
      /### Constats résolus \(1\)\n\n- \*\*haute\*\* — Suites RC4 acceptées .*résolu le 2025-03-30/,
    );
  });

  it('escapes hostile values: no raw HTML, no extra table cell, no formatting', () => {
    expect(fr).not.toMatch(/<script|<img|<b>/i);
    expect(fr).toContain('&lt;script&gt;alert("owner")&lt;/script&gt; & Cie');
    const row = fr.split('\n').find((l) => l.includes('custom.powered-by') && l.startsWith('| faible'));
    expect(row).toBeDefined();
    // 6 columns: 7 unescaped pipes
    expect(row?.match(/(?<!\\)\|/g)).toHaveLength(7);
    expect(row).toContain('\\`tick\\` \\]\\]&gt;');
  });

  it('keeps tables well-formed: every row has as many cells as its header', () => {
    const lines = fr.split('\n');
    const cells = (l: string) => l.match(/(?<!\\)\|/g)?.length ?? 0;
    let tables = 0;
    for (let i = 0; i < lines.length; i += 1) {
      if (!/^\|(---:?\|)+$/.test(lines[i] ?? '')) continue;
      tables += 1;
      const width = cells(lines[i - 1] ?? '');
      for (let j = i + 1; lines[j]?.startsWith('|'); j += 1) expect(cells(lines[j] ?? '')).toBe(width);
    }
    expect(tables).toBe(7);
  });

  it('says when a section is empty', () => {
    const md = renderReportMarkdown(emptyReportFixture('en'), 'en');
    expect(md).toContain('No open risk.');
    expect(md).toContain('No waiver in force.');
    expect(md).toContain('Trend: no history yet');
  });
});
