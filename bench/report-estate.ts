// A stored estate for report benchmarks and tests, written through the repositories (no scan): N
// TLS endpoints (one inventory asset per 4 hosts, 12 owners), 2.75 open findings per endpoint
// (N/4 critical, N high, 1.25 N medium, N/4 low), facts with TLS grades, profiles and certificates
// (some expired, some expiring), some domains with DNS records, some closed or timed-out endpoints,
// and a previous run so that the lists of new and resolved findings are not empty.
import type { Severity, StoredFindingInput } from '../src/domain/index.js';
import { fingerprintOf } from '../src/domain/index.js';
import type { Store, StoredEndpoint } from '../src/store/index.js';

const DAY_MS = 86_400_000;
const OWNERS = [
  'DSI',
  'Direction de la communication',
  'Mairie de Valence',
  'Mairie de Romans',
  'Mairie de Crest',
  'Service des eaux',
  'Culture',
  'Éducation',
  'Transports',
  'Santé',
  'Sport',
  'Urbanisme',
];
const CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;
const GRADES = ['A+', 'A', 'A', 'B', 'B', 'C', 'F', 'T'];
/** The checks planned on every endpoint: those without a finding pass. */
const PLANNED = [
  'tls.protocol.tls10',
  'tls.cert.expired',
  'http.hsts.missing',
  'http.csp.missing',
  'http.referrer-policy.missing',
  'http.disclosure.server-version',
];
/** Endpoints saved per call while seeding. */
const BATCH = 2000;

export const estateHost = (i: number): string => `h${i}.parc.vigie.test`;

/** The inventory of an estate of `n` endpoints (YAML). */
export function reportEstateInventory(n: number): string {
  const lines = ['organisation: { name: Région Banc, language: fr }', 'assets:'];
  for (let a = 0; a * 4 < n; a++) {
    const hosts = [0, 1, 2, 3].map((k) => a * 4 + k).filter((i) => i < n);
    lines.push(
      `  - { id: a${a}, name: Actif ${a}, owner: ${OWNERS[a % OWNERS.length]}, criticality: ${CRITICALITIES[a % 4]}, hosts: [${hosts.map(estateHost).join(', ')}], ports: [443] }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function finding(
  i: number,
  checkId: string,
  severity: Severity,
  details: StoredFindingInput['details'] = {},
): StoredFindingInput {
  const host = estateHost(i);
  return {
    fingerprint: fingerprintOf({ checkId, host, port: 443 }),
    checkId,
    severity,
    category: checkId.startsWith('tls.') ? 'tls' : checkId.startsWith('http.') ? 'http' : 'scan',
    host,
    port: 443,
    assetId: `a${Math.floor(i / 4)}`,
    details,
  };
}

/** Endpoint `i` as run `which` saw it (`previous`: eight days before `now`; `latest`: an hour before). */
function endpointAt(
  i: number,
  which: 'previous' | 'latest',
  now: number,
): { endpoint: StoredEndpoint; findings: StoredFindingInput[] } {
  const host = estateHost(i);
  const assetId = `a${Math.floor(i / 4)}`;
  if (i % 100 === 99)
    return {
      endpoint: { host, port: 443, assetId, status: 'assessed', checks: {}, facts: { closed: true } },
      findings: [],
    };
  const notAfter = new Date(now + (((i * 37) % 200) - 20) * DAY_MS).toISOString();
  const grade = GRADES[i % GRADES.length] ?? 'A';
  const facts: Record<string, unknown> = {
    tls: {
      protocols: i % 3 === 0 ? ['TLSv1', 'TLSv1.2'] : ['TLSv1.2', 'TLSv1.3'],
      certificate: { subject: `CN=${host}`, issuer: 'CN=Autorité de banc', notAfter },
      grade: {
        grade,
        score: 80,
        protocolScore: 90,
        keyExchangeScore: 90,
        cipherScore: 70,
        caps: grade === 'F' ? [{ cap: 'F', reason: 'SSL 3 accepté' }] : [],
        warnings: [],
        scoringVersion: '2025.1',
      },
      postQuantum: i % 5 === 0,
      profiles: {
        'anssi-1.2': {
          version: '1.2',
          conformant: i % 3 === 0 ? false : true,
          violations: [],
          notEvaluated: [],
          degraded: [],
        },
        'mozilla-intermediate-5.8': {
          version: '5.8',
          conformant: i % 7 === 0 ? null : i % 2 === 0,
          violations: [],
          notEvaluated: [],
          degraded: [],
        },
      },
      certificateDetail: {
        keyType: 'RSA',
        keyBits: 2048,
        notBefore: new Date(now - 300 * DAY_MS).toISOString(),
        signatureAlgorithm: 'sha256WithRSAEncryption',
        chainLength: 2,
        trust: 'trusted',
      },
    },
    http: { url: `https://${host}/`, status: 200 },
  };
  if (i % 200 === 7)
    facts['dns'] = {
      spf: 'v=spf1 -all',
      dmarc: 'v=DMARC1; p=none',
      mx: [`10 mx.${host}`],
      caa: [],
      dnssec: 'unsigned',
    };
  const findings: StoredFindingInput[] = [];
  const timedOut = i % 50 === 3;
  if (timedOut) findings.push(finding(i, 'scan.timeout', 'high', { detail: 'délai dépassé' }));
  // The latest run finds tls.protocol.tls10 anew on every tenth endpoint (new findings).
  else if (which === 'latest' || i % 10 !== 5) findings.push(finding(i, 'tls.protocol.tls10', 'high'));
  findings.push(finding(i, 'http.hsts.missing', 'medium'));
  if (i % 4 === 0) findings.push(finding(i, 'http.csp.missing', 'medium'));
  if (i % 4 === 1) findings.push(finding(i, 'tls.cert.expired', 'critical', { notAfter }));
  if (i % 4 === 2) findings.push(finding(i, 'http.referrer-policy.missing', 'low'));
  // The previous run also saw the server's version on every tenth endpoint (resolved since).
  if (which === 'previous' && i % 10 === 0)
    findings.push(finding(i, 'http.disclosure.server-version', 'low', { header: 'nginx/1.18' }));
  if (i % 200 === 7) findings.push(finding(i, 'mail.dmarc.none', 'medium'));
  const checks: Record<string, 'pass' | 'fail'> = Object.fromEntries(
    PLANNED.map((c) => [c, 'pass' as const]),
  );
  for (const f of findings) checks[f.checkId] = 'fail';
  return {
    endpoint: {
      host,
      port: 443,
      assetId,
      status: timedOut ? 'timeout' : 'assessed',
      checks,
      facts: timedOut ? { ...facts, errors: [{ family: 'tls', postureCategory: 'tls' }] } : facts,
    },
    findings,
  };
}

/** Saves two runs of an estate of `n` endpoints, in batches (the previous, then the latest). */
export async function seedReportEstate(store: Store, n: number, now: number): Promise<void> {
  for (const [which, id, startedAt] of [
    ['previous', 'banc-precedent', now - 8 * DAY_MS],
    ['latest', 'banc-dernier', now - 3600_000],
  ] as const) {
    const started = new Date(startedAt).toISOString();
    await store.runs.begin({ id, startedAt: started, scoringVersion: '2025.1', targets: ['inventory'] });
    for (let from = 0; from < n; from += BATCH) {
      const made = Array.from({ length: Math.min(BATCH, n - from) }, (_, k) =>
        endpointAt(from + k, which, now),
      );
      await store.runs.append(id, {
        endpoints: made.map((m) => m.endpoint),
        findings: made.flatMap((m) => m.findings),
      });
    }
    await store.runs.finish(id, { finishedAt: new Date(startedAt + 600_000).toISOString() });
  }
}
