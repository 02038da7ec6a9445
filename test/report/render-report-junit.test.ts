import { describe, expect, it } from 'vitest';
import { renderReportJunit } from '../../src/report/index.js';
import { emptyReportFixture, FIXTURE_JUNIT, reportFixture } from '../helpers/report-fixture.js';

const attr = (tag: string, name: string) => Number(new RegExp(`\\s${name}="(\\d+)"`).exec(tag)?.[1]);

/** The test cases of one suite, by check ID, with what is inside each. */
function suite(xml: string, name: string): Map<string, string> {
  const body = new RegExp(
    `<testsuite name="${name.replace(/\./g, '\\.')}"[^>]*>([\\s\\S]*?)</testsuite>`,
  ).exec(xml)?.[1];
  const cases = new Map<string, string>();
  for (const m of (body ?? '').matchAll(/<testcase name="([^"]+)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g))
    cases.set(m[1] ?? '', m[2] ?? '');
  return cases;
}

describe('renderReportJunit', () => {
  const fr = renderReportJunit(reportFixture('fr'), 'fr');
  const en = renderReportJunit(reportFixture('en'), 'en');

  it('is an XML document with one suite per endpoint and one case per endpoint × check', () => {
    expect(fr.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(fr.match(/<testsuite /g)).toHaveLength(FIXTURE_JUNIT.suites);
    expect(fr.match(/<testcase /g)).toHaveLength(FIXTURE_JUNIT.tests);
    expect([...suite(fr, 'www.exemple.fr:443').keys()]).toEqual([
      'http.hsts.missing',
      'http.securitytxt.missing',
      'tls.cert.expired',
      'tls.protocol.sslv3',
      'tls.protocol.tls10',
    ]);
  });

  it('counts right, per suite and in total', () => {
    const root = /<testsuites [^>]*>/.exec(fr)?.[0] ?? '';
    expect({
      tests: attr(root, 'tests'),
      failures: attr(root, 'failures'),
      errors: attr(root, 'errors'),
      skipped: attr(root, 'skipped'),
    }).toEqual({
      tests: FIXTURE_JUNIT.tests,
      failures: FIXTURE_JUNIT.failures,
      errors: FIXTURE_JUNIT.errors,
      skipped: FIXTURE_JUNIT.skipped,
    });
    for (const m of fr.matchAll(/<testsuite [^>]*>([\s\S]*?)<\/testsuite>/g)) {
      const [open, body = ''] = [m[0].slice(0, m[0].indexOf('>') + 1), m[1]];
      expect(attr(open, 'tests')).toBe(body.match(/<testcase /g)?.length ?? 0);
      expect(attr(open, 'failures')).toBe(body.match(/<failure /g)?.length ?? 0);
      expect(attr(open, 'errors')).toBe(body.match(/<error /g)?.length ?? 0);
      expect(attr(open, 'skipped')).toBe(body.match(/<skipped /g)?.length ?? 0);
    }
  });

  it('maps pass, fail, error and skipped', () => {
    const www = suite(fr, 'www.exemple.fr:443');
    expect(www.get('tls.protocol.sslv3')).toBe('');
    expect(www.get('tls.cert.expired')).toMatch(
      /^<failure message="Certificat expiré — Le certificat « CN=www\.exemple\.fr » a expiré le 2025-03-01\." type="critical">\[critique\] Certificat expiré\nConstat : /,
    );
    expect(www.get('http.securitytxt.missing')).toMatch(
      /^<error message="[^"]*sonde a échoué[^"]*" type="probe-error"\/>$/,
    );
    expect(suite(fr, 'api.exemple.fr:443').get('http.csp.missing')).toMatch(/^<skipped message="[^"]+"\/>$/);
    expect(suite(en, 'www.exemple.fr:443').get('tls.cert.expired')).toContain('Evidence: Certificate');
  });

  it('does not fail a check whose findings are all waived: skipped, with the reason', () => {
    expect(suite(fr, 'www.exemple.fr:443').get('tls.protocol.tls10')).toMatch(
      /^<skipped message="Dérogation : Client historique &lt;b&gt;XP&lt;\/b&gt; : migration prévue au T3, &quot;budget voté&quot; \(jusqu’au 2025-09-30, par RSSI Dupont\)"\/>$/,
    );
  });

  it('reports an endpoint that could not be assessed as an error', () => {
    expect([...suite(fr, 'down.exemple.fr:443').entries()]).toEqual([
      ['scan.timeout', expect.stringMatching(/^<error message="[^"]*délai dépassé[^"]*" type="timeout"\/>$/)],
    ]);
  });

  it('escapes hostile values and drops characters XML cannot hold', () => {
    expect(fr).not.toContain('<script>');
    expect(fr).not.toContain('\u0007');
    expect(fr).not.toContain(']]>');
    expect(fr).toContain('&lt;script&gt;alert(&apos;evidence&apos;)&lt;/script&gt;');
    expect(fr).toContain(
      '<property name="owner" value="&lt;script&gt;alert(&quot;owner&quot;)&lt;/script&gt; &amp; Cie"/>',
    );
    expect(fr).toContain('name="vigie — Métropole &lt;Exemple&gt; &amp; &quot;Cie&quot;"');
  });

  it('is an empty but valid document without endpoints', () => {
    const xml = renderReportJunit(emptyReportFixture('fr'), 'fr');
    expect(xml).toMatch(/<testsuites [^>]*tests="0" failures="0" errors="0" skipped="0"/);
    expect(xml).not.toContain('<testsuite ');
  });
});
