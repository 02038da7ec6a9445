import type {
  PostureReport,
  ReportEndpoint,
  ReportFinding,
  Severity,
  Waiver,
} from '../../src/domain/index.js';

type Lang = 'fr' | 'en';

/** Strings an attacker controls somewhere (a banner, a custom check, an owner typed in vigie.yml). */
export const HOSTILE = {
  organisation: 'Métropole <Exemple> & "Cie"',
  owner: '<script>alert("owner")</script> & Cie',
  evidence: '<script>alert(\'evidence\')</script>, "quoted" | `tick` ]]> \u0007bell\nsecond line',
  title: '=HYPERLINK("http://evil.invalid","clic")',
  waiverReason: 'Client historique <b>XP</b> : migration prévue au T3, "budget voté"',
} as const;

const counts = (c: Partial<Record<Severity, number>> = {}): Record<Severity, number> => ({
  info: 0,
  low: 0,
  medium: 0,
  high: 0,
  critical: 0,
  ...c,
});

interface Spec {
  fingerprint: string;
  checkId: string;
  severity: Severity;
  category: ReportFinding['category'];
  host: string;
  port: number;
  status: ReportFinding['status'];
  title: [string, string];
  evidence: [string, string];
  remediation: [string, string];
  owner?: string;
  assetId?: string;
  assetName?: string;
  references?: string[];
}

function finding(lang: Lang, s: Spec, extra: Partial<ReportFinding> = {}): ReportFinding {
  const pick = ([fr, en]: [string, string]) => (lang === 'fr' ? fr : en);
  return {
    checkId: s.checkId,
    severity: s.severity,
    category: s.category,
    host: s.host,
    port: s.port,
    ...(s.assetId ? { assetId: s.assetId } : {}),
    title: pick(s.title),
    evidence: pick(s.evidence),
    details: {},
    remediation: pick(s.remediation),
    references: s.references ?? [],
    fingerprint: s.fingerprint,
    firstSeen: '2025-03-03T02:00:00.000Z',
    lastSeen: '2025-03-31T02:00:00.000Z',
    status: s.status,
    ...(s.owner ? { owner: s.owner } : {}),
    ...(s.assetName ? { assetName: s.assetName } : {}),
    criticality: 'high',
    ...extra,
  };
}

const WEB = 'DSI - pôle web';
const NET = 'DSI - réseau';

/**
 * A posture report built by hand: six endpoints, open, new, regressed, resolved and waived findings
 * (one waived), an expiring certificate, a timed-out endpoint, texts in the requested language and
 * hostile strings (HTML, formula, CSV and XML breakers, a control character) where users could put them.
 */
export function reportFixture(lang: Lang = 'fr'): PostureReport {
  const waiver: Waiver = {
    fingerprint: 'fp-tls10-www',
    reason: HOSTILE.waiverReason,
    until: '2025-09-30T00:00:00.000Z',
    by: 'RSSI Dupont',
    waivedAt: '2025-03-10T09:00:00.000Z',
    evidenceHash: 'h-tls10',
    state: 'active',
  };
  const expired = finding(lang, {
    fingerprint: 'fp-expired-www',
    checkId: 'tls.cert.expired',
    severity: 'critical',
    category: 'tls',
    host: 'www.exemple.fr',
    port: 443,
    status: 'open',
    owner: WEB,
    assetId: 'portail',
    assetName: 'Portail citoyen',
    title: ['Certificat expiré', 'Expired certificate'],
    evidence: [
      'Le certificat « CN=www.exemple.fr » a expiré le 2025-03-01.',
      'Certificate “CN=www.exemple.fr” expired on 2025-03-01.',
    ],
    remediation: [
      'Renouvelez le certificat et automatisez le renouvellement (ACME).',
      'Renew the certificate and automate renewal (ACME).',
    ],
    references: ['RFC 5280', 'https://cyber.gouv.fr/publications/recommandations-tls'],
  });
  const redis = finding(lang, {
    fingerprint: 'fp-redis-cache',
    checkId: 'service.redis.unauthenticated',
    severity: 'critical',
    category: 'services',
    host: 'cache.exemple.fr',
    port: 6379,
    status: 'new',
    owner: HOSTILE.owner,
    assetId: 'cache',
    title: ['Redis accessible sans authentification', 'Redis reachable without authentication'],
    evidence: ['PING a répondu +PONG sans mot de passe.', 'PING answered +PONG without a password.'],
    remediation: [
      'Fermez le port 6379 au public et exigez une authentification (requirepass / ACL).',
      'Close port 6379 to the public and require authentication (requirepass / ACL).',
    ],
  });
  const tls10 = finding(
    lang,
    {
      fingerprint: 'fp-tls10-www',
      checkId: 'tls.protocol.tls10',
      severity: 'medium',
      category: 'tls',
      host: 'www.exemple.fr',
      port: 443,
      status: 'waived',
      owner: WEB,
      assetId: 'portail',
      title: ['TLS 1.0 accepté', 'TLS 1.0 accepted'],
      evidence: ['Le serveur négocie TLS 1.0.', 'The server negotiates TLS 1.0.'],
      remediation: ['Désactivez TLS 1.0 et TLS 1.1.', 'Disable TLS 1.0 and TLS 1.1.'],
    },
    { waiver },
  );
  const hsts = finding(lang, {
    fingerprint: 'fp-hsts-www',
    checkId: 'http.hsts.missing',
    severity: 'medium',
    category: 'http',
    host: 'www.exemple.fr',
    port: 443,
    status: 'regressed',
    owner: WEB,
    assetId: 'portail',
    title: ['En-tête HSTS absent', 'HSTS header missing'],
    evidence: [
      'Aucun en-tête Strict-Transport-Security sur https://www.exemple.fr/.',
      'No Strict-Transport-Security header on https://www.exemple.fr/.',
    ],
    remediation: [
      'Ajoutez Strict-Transport-Security: max-age=31536000; includeSubDomains.',
      'Add Strict-Transport-Security: max-age=31536000; includeSubDomains.',
    ],
  });
  const expiring = finding(lang, {
    fingerprint: 'fp-expiring-intranet',
    checkId: 'tls.cert.expiring',
    severity: 'medium',
    category: 'tls',
    host: 'intranet.exemple.fr',
    port: 8443,
    status: 'open',
    owner: NET,
    assetId: 'intranet',
    title: ['Certificat bientôt expiré', 'Certificate expiring soon'],
    evidence: [
      'Le certificat « CN=intranet.exemple.fr » expire le 2025-04-14, dans 14 jour(s).',
      'Certificate “CN=intranet.exemple.fr” expires on 2025-04-14, in 14 day(s).',
    ],
    remediation: ['Renouvelez le certificat avant son échéance.', 'Renew the certificate before it expires.'],
  });
  const custom = finding(lang, {
    fingerprint: 'fp-custom-api',
    checkId: 'custom.powered-by',
    severity: 'low',
    category: 'http',
    host: 'api.exemple.fr',
    port: 443,
    status: 'new',
    owner: HOSTILE.owner,
    assetId: 'api',
    title: [HOSTILE.title, HOSTILE.title],
    evidence: [HOSTILE.evidence, HOSTILE.evidence],
    remediation: ['-Retirez l’en-tête X-Powered-By.', '-Remove the X-Powered-By header.'],
  });
  const caa = finding(lang, {
    fingerprint: 'fp-caa-domain',
    checkId: 'dns.caa.missing',
    severity: 'info',
    category: 'dns',
    host: 'exemple.fr',
    port: 53,
    status: 'open',
    owner: NET,
    title: ['Aucun enregistrement CAA', 'No CAA record'],
    evidence: ['exemple.fr ne publie aucun enregistrement CAA.', 'exemple.fr publishes no CAA record.'],
    remediation: [
      'Publiez un enregistrement CAA pour votre autorité de certification.',
      'Publish a CAA record for your certificate authority.',
    ],
  });
  const rc4 = finding(
    lang,
    {
      fingerprint: 'fp-rc4-old',
      checkId: 'tls.cipher.rc4',
      severity: 'high',
      category: 'tls',
      host: 'old.exemple.fr',
      port: 443,
      status: 'resolved',
      owner: NET,
      title: ['Suites RC4 acceptées', 'RC4 suites accepted'],
      evidence: ['Le serveur accepte RC4-SHA.', 'The server accepts RC4-SHA.'],
      remediation: ['Retirez RC4 de la configuration.', 'Remove RC4 from the configuration.'],
    },
    { resolvedAt: '2025-03-30T02:00:00.000Z' },
  );

  const endpoint = (
    host: string,
    port: number,
    checks: ReportEndpoint['checks'],
    extra: Partial<ReportEndpoint> = {},
  ): ReportEndpoint => ({
    host,
    port,
    status: 'assessed',
    lastRunId: 'run-0042',
    lastScanned: '2025-03-31T02:00:00.000Z',
    checks,
    ...extra,
  });

  const weeks = ['2025-02-24', '2025-03-03', '2025-03-10', '2025-03-17', '2025-03-24', '2025-03-31'];
  const trend = [58, 61.5, 64, 63, 69.5, 72.5].map((index, i) => ({
    at: `${weeks[i] ?? ''}T02:00:00.000Z`,
    runId: `run-00${37 + i}`,
    index,
  }));

  return {
    generatedAt: '2025-03-31T08:15:00.000Z',
    lang,
    organisation: HOSTILE.organisation,
    scoringVersion: 'posture-1',
    since: '2025-03-24T00:00:00.000Z',
    latestRun: {
      id: 'run-0042',
      startedAt: '2025-03-31T02:00:00.000Z',
      finishedAt: '2025-03-31T02:03:12.000Z',
    },
    posture: {
      current: {
        scoringVersion: 'posture-1',
        index: 72.5,
        endpoints: 5,
        unassessed: 1,
        partial: 0,
        byOwner: [],
        byAsset: [],
        byCategory: [],
      },
      previous: { at: '2025-03-24T02:00:00.000Z', index: 69.5 },
      delta: 3,
      trend,
    },
    counts: counts({ critical: 2, medium: 2, low: 1, info: 1 }),
    topRisks: [expired, redis, hsts, expiring, custom],
    changes: { new: [redis, custom], resolved: [rc4], regressed: [hsts] },
    expiringCertificates: [
      {
        host: 'intranet.exemple.fr',
        port: 8443,
        subject: 'CN=intranet.exemple.fr',
        notAfter: '2025-04-14T12:00:00.000Z',
        daysLeft: 14,
        owner: NET,
      },
    ],
    domains: [
      {
        domain: 'exemple.fr',
        owner: WEB,
        spf: 'v=spf1 mx include:_spf.prestataire.fr -all',
        dmarc: 'v=DMARC1; p=reject; rua=mailto:dmarc@exemple.fr',
        dnssec: 'validated',
        caa: ['letsencrypt.org'],
        mtaSts: 'enforce',
        mx: ['10 mx.exemple.fr'],
        open: 0,
      },
      // A published record is attacker-controlled text: it must come out escaped.
      {
        domain: 'exemple-mairie.fr',
        owner: HOSTILE.owner,
        spf: '<script>alert("spf")</script> +all',
        dnssec: 'unsigned',
        caa: [],
        mx: [],
        open: 5,
      },
    ],
    owners: [
      { owner: WEB, index: 61.5, endpoints: 1, open: counts({ critical: 1, medium: 1 }) },
      { owner: HOSTILE.owner, index: 40, endpoints: 2, open: counts({ critical: 1, low: 1 }) },
      { owner: NET, index: 88, endpoints: 2, open: counts({ medium: 1, info: 1 }) },
    ],
    categories: [
      { category: 'tls', index: 70.2, endpoints: 4, unassessed: 0, open: 2 },
      { category: 'http', index: 81, endpoints: 3, unassessed: 0, open: 2 },
      { category: 'services', index: 40, endpoints: 2, unassessed: 0, open: 1 },
      { category: 'dns', index: 95, endpoints: 1, unassessed: 0, open: 1 },
    ],
    waivers: [{ ...waiver, checkId: tls10.checkId, host: tls10.host, port: tls10.port, title: tls10.title }],
    findings: [expired, redis, tls10, hsts, expiring, custom, caa],
    endpoints: [
      endpoint(
        'www.exemple.fr',
        443,
        {
          'tls.cert.expired': 'fail',
          'tls.protocol.tls10': 'fail',
          'http.hsts.missing': 'fail',
          'tls.protocol.sslv3': 'pass',
          'http.securitytxt.missing': 'error',
        },
        { assetId: 'portail', owner: WEB },
      ),
      endpoint(
        'cache.exemple.fr',
        6379,
        { 'service.redis.unauthenticated': 'fail', 'service.banner.version': 'pass' },
        { assetId: 'cache', owner: HOSTILE.owner },
      ),
      endpoint(
        'intranet.exemple.fr',
        8443,
        { 'tls.cert.expiring': 'fail', 'tls.protocol.tls10': 'pass' },
        { assetId: 'intranet', owner: NET },
      ),
      endpoint(
        'api.exemple.fr',
        443,
        { 'custom.powered-by': 'fail', 'http.hsts.missing': 'pass', 'http.csp.missing': 'skipped' },
        { assetId: 'api', owner: HOSTILE.owner },
      ),
      endpoint('exemple.fr', 53, { 'dns.caa.missing': 'fail' }, { owner: NET }),
      endpoint('down.exemple.fr', 443, {}, { status: 'timeout' }),
    ],
  };
}

/** JUnit totals the fixture must produce (see its endpoints' checks). */
export const FIXTURE_JUNIT = { tests: 14, failures: 6, errors: 2, skipped: 2, suites: 6 } as const;

/** A report before any run: no index, no trend, nothing found. */
export function emptyReportFixture(lang: Lang = 'fr'): PostureReport {
  return {
    generatedAt: '2025-03-31T08:15:00.000Z',
    lang,
    organisation: 'Commune Vide',
    scoringVersion: 'posture-1',
    since: '2025-03-24T00:00:00.000Z',
    posture: { trend: [] },
    counts: counts(),
    topRisks: [],
    changes: { new: [], resolved: [], regressed: [] },
    expiringCertificates: [],
    owners: [],
    categories: [],
    waivers: [],
    findings: [],
    endpoints: [],
  };
}
