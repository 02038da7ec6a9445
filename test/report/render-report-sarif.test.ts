import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { endpointUri, renderReportSarif } from '../../src/report/index.js';
import { emptyReportFixture, HOSTILE, reportFixture } from '../helpers/report-fixture.js';

/** The SARIF 2.1.0 schema as published (rtm.5, JSON Schema draft-04), shipped in @microsoft/jest-sarif. */
const schemaPath = createRequire(import.meta.url).resolve(
  '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
// Both packages are CommonJS whose module.exports is also its own `.default` (the typed entry).
// unicodeRegExp: false because the schema's `language` pattern (`…]?$`) is only valid without the u flag.
const ajv = new AjvDraft04.default({ allErrors: true, unicodeRegExp: false });
ajvFormats.default(ajv);
const validate = ajv.compile(schema);

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; status?: string; justification?: string }[];
}
interface SarifLog {
  version: string;
  $schema: string;
  runs: {
    tool: {
      driver: {
        name: string;
        version?: string;
        informationUri?: string;
        rules: {
          id: string;
          shortDescription: { text: string };
          fullDescription: { text: string };
          help: { text: string };
          helpUri?: string;
          properties: Record<string, unknown>;
        }[];
      };
    };
    results: SarifResult[];
    language?: string;
  }[];
}

describe('renderReportSarif', () => {
  const fr = renderReportSarif(reportFixture('fr'), 'fr', { toolVersion: '0.1.0' });
  const log = JSON.parse(fr) as SarifLog;
  const run = log.runs[0];
  const result = (fingerprint: string) =>
    run?.results.find((r) => r.partialFingerprints['vigie/v1'] === fingerprint);

  it('validates against the official SARIF 2.1.0 schema, in both languages and when empty', () => {
    for (const text of [
      fr,
      renderReportSarif(reportFixture('en'), 'en'),
      renderReportSarif(emptyReportFixture('fr'), 'fr'),
    ]) {
      const ok = validate(JSON.parse(text));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('the validator does reject a broken log', () => {
    const broken = JSON.parse(fr) as { runs: { results: { level: string }[] }[] };
    const first = broken.runs[0]?.results[0];
    if (first) first.level = 'fatal';
    expect(validate(broken)).toBe(false);
    expect(validate({ version: '2.1.0' })).toBe(false);
  });

  it('is one run of the vigie driver, with its version and no repository link', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run?.tool.driver.name).toBe('vigie');
    expect(run?.tool.driver.version).toBe('0.1.0');
    expect(run?.tool.driver.informationUri).toBeUndefined();
    expect(run?.language).toBe('fr');
  });

  it('has one rule per check ID used, with texts and a numeric security-severity', () => {
    const rules = run?.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual([
      'custom.powered-by',
      'dns.caa.missing',
      'http.hsts.missing',
      'service.redis.unauthenticated',
      'tls.cert.expired',
      'tls.cert.expiring',
      'tls.protocol.tls10',
    ]);
    const expired = rules.find((r) => r.id === 'tls.cert.expired');
    expect(expired?.shortDescription.text).toBe('Certificat expiré');
    expect(expired?.help.text).toContain('Renouvelez le certificat');
    expect(expired?.helpUri).toBe('https://cyber.gouv.fr/publications/recommandations-tls');
    for (const r of rules) {
      const score = Number(r.properties['security-severity']);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(10);
    }
    expect(Number(expired?.properties['security-severity'])).toBeGreaterThanOrEqual(9);
  });

  it('gives each finding a stable rule ID, level, message, fingerprint and endpoint URI', () => {
    expect(run?.results).toHaveLength(7);
    for (const r of run?.results ?? []) expect(run?.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
    expect(result('fp-expired-www')).toMatchObject({
      ruleId: 'tls.cert.expired',
      level: 'error',
      message: {
        text: 'Certificat expiré — Le certificat « CN=www.exemple.fr » a expiré le 2025-03-01.',
      },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'https://www.exemple.fr:443/' } } }],
    });
    expect(result('fp-redis-cache')?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(
      'tcp://cache.exemple.fr:6379',
    );
    expect(result('fp-hsts-www')?.level).toBe('warning');
    expect(result('fp-custom-api')?.level).toBe('note');
    expect(result('fp-caa-domain')?.level).toBe('note');
  });

  it('writes each kind of endpoint as a URI', () => {
    expect(endpointUri({ host: 'www.exemple.fr', port: 8443, category: 'tls' })).toBe(
      'https://www.exemple.fr:8443/',
    );
    expect(endpointUri({ host: 'www.exemple.fr', port: 80, category: 'http' })).toBe(
      'http://www.exemple.fr:80/',
    );
    expect(endpointUri({ host: '2001:db8::1', port: 443, category: 'tls' })).toBe(
      'https://[2001:db8::1]:443/',
    );
    expect(endpointUri({ host: 'db.exemple.fr', port: 5432, category: 'services' })).toBe(
      'tcp://db.exemple.fr:5432',
    );
    expect(endpointUri({ host: 'down.exemple.fr', port: 443, category: 'scan' })).toBe(
      'tcp://down.exemple.fr:443',
    );
    expect(endpointUri({ host: 'exemple.fr', port: 53, category: 'dns' })).toBe('dns:exemple.fr');
    expect(endpointUri({ host: 'a b/<x>', port: 1, category: 'services' })).toBe('tcp://a%20b%2F%3Cx%3E:1');
  });

  it('marks a waived finding as an external, accepted suppression with its reason', () => {
    expect(result('fp-tls10-www')?.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: HOSTILE.waiverReason },
    ]);
    expect(result('fp-expired-www')?.suppressions).toBeUndefined();
  });

  it('is the same for the same report (stable ordering)', () => {
    const report = reportFixture('fr');
    const shuffled = { ...report, findings: [...report.findings].reverse() };
    expect(renderReportSarif(shuffled, 'fr', { toolVersion: '0.1.0' })).toBe(fr);
  });
});
