import {
  TLS_VERSIONS,
  TLS_VERSION_LABEL,
  type CertFacts,
  type CertObservation,
  type HelloResult,
  type SuiteClass,
  type SuiteClassResult,
  type TlsObservation,
  type TlsVersionId,
} from '../../domain/index.js';
import { fail, pass, type Check, type CheckContext, type CheckVerdict } from '../check.js';

const DAY_MS = 86_400_000;
const MAX_VALIDITY_DAYS = 398;

const day = (iso: string): string => iso.slice(0, 10);

/** Names shown in evidence: a certificate may carry thousands (a hostile one, millions). */
const SHOWN_NAMES = 20;
const someNames = (names: readonly string[]): string =>
  names.length <= SHOWN_NAMES
    ? names.join(', ')
    : `${names.slice(0, SHOWN_NAMES).join(', ')} … (+${names.length - SHOWN_NAMES})`;

/** Newest version the server negotiated when it was the client's maximum. */
export function bestVersion(obs: TlsObservation): TlsVersionId | undefined {
  return [...TLS_VERSIONS].reverse().find((v) => acceptsExactly(obs.protocols[v], v));
}

function acceptsExactly(r: HelloResult, v: TlsVersionId): boolean {
  return r.kind === 'accepted' && r.version === v;
}

function describe(r: HelloResult): string {
  switch (r.kind) {
    case 'accepted':
      return `${TLS_VERSION_LABEL[r.version]} ${r.suiteName}`;
    case 'rejected':
      return r.detail;
    case 'error':
      return `${r.reason}: ${r.detail}`;
  }
}

/** A probe that could not tell: the check's error. */
const probeError = (r: { reason: string; detail: string }): CheckVerdict => ({
  status: 'error',
  detail: `${r.reason}: ${r.detail}`,
});

/** A check of the answer to a hello of version `v` (a probe error is the check's error). */
function versionCheck(
  id: string,
  v: TlsVersionId,
  judge: (r: Exclude<HelloResult, { kind: 'error' }>, obs: TlsObservation) => CheckVerdict,
): Check<TlsObservation> {
  return {
    id,
    evaluate(obs) {
      const r = obs.protocols[v];
      return r.kind === 'error' ? probeError(r) : judge(r, obs);
    },
  };
}

const protocolCheck = (id: string, v: TlsVersionId): Check<TlsObservation> =>
  versionCheck(id, v, (r) =>
    // A server capped lower answers with a lower version: that is not this protocol.
    r.kind === 'accepted' && r.version === v
      ? fail({ version: TLS_VERSION_LABEL[r.version], suite: r.suiteName })
      : pass(),
  );

const missingProtocolCheck = (id: string, v: TlsVersionId): Check<TlsObservation> =>
  versionCheck(id, v, (r, obs) => {
    if (acceptsExactly(r, v)) return pass();
    const best = bestVersion(obs);
    return fail({ observed: describe(r), best: best ? TLS_VERSION_LABEL[best] : '—' });
  });

/**
 * The verdict on what a suite family's probe found: `accepted` as judged, `rejected` a pass unless
 * said otherwise, not applicable skipped, a probe error the check's error.
 */
function onSuiteClass(
  r: SuiteClassResult,
  accepted: (r: Extract<SuiteClassResult, { kind: 'accepted' }>) => CheckVerdict,
  rejected: () => CheckVerdict = pass,
): CheckVerdict {
  switch (r.kind) {
    case 'accepted':
      return accepted(r);
    case 'rejected':
      return rejected();
    case 'not-applicable':
      return { status: 'skipped', because: r.because };
    case 'error':
      return probeError(r);
  }
}

function suiteClassCheck(id: string, cls: SuiteClass): Check<TlsObservation> {
  return {
    id,
    evaluate: (obs) =>
      onSuiteClass(obs.suites[cls], (r) =>
        fail({ suite: r.suiteName, version: TLS_VERSION_LABEL[r.version] }),
      ),
  };
}

const cbcOnly: Check<TlsObservation> = {
  id: 'tls.cipher.cbc',
  evaluate(obs) {
    if (acceptsExactly(obs.protocols['tls1.3'], 'tls1.3')) return pass();
    return onSuiteClass(obs.suites.aead, pass, () => {
      const best = bestVersion(obs);
      const chosen = best ? obs.protocols[best] : undefined;
      return fail({ suite: chosen?.kind === 'accepted' ? chosen.suiteName : '—' });
    });
  },
};

const weakDh: Check<TlsObservation> = {
  id: 'tls.kex.weak-dh',
  evaluate: (obs) =>
    onSuiteClass(obs.suites.dhe, (r) => {
      if (r.dhPrimeBits === undefined) return { status: 'error', detail: 'ServerKeyExchange non lu' };
      return r.dhPrimeBits < 2048
        ? fail({ bits: r.dhPrimeBits, suite: r.suiteName, version: TLS_VERSION_LABEL[r.version] })
        : pass();
    }),
};

/** Wraps a certificate check: "could not fetch the certificate" is an error, not a pass. */
function certCheck(
  id: string,
  evaluate: (cert: CertObservation, leaf: CertFacts, ctx: CheckContext) => CheckVerdict,
): Check<TlsObservation> {
  return {
    id,
    evaluate(obs, ctx) {
      const c = obs.certificate;
      if (c.status === 'error') return probeError(c);
      if (c.status === 'skipped') return { status: 'skipped', because: c.because };
      const leaf = c.value.chain[0];
      if (!leaf) return { status: 'error', detail: 'aucun certificat reçu' };
      return evaluate(c.value, leaf, ctx);
    },
  };
}

/** Self-issued certificates at the end of a chain are trust anchors: their own signature does not matter. */
const isRootLike = (c: CertFacts, index: number): boolean => index > 0 && c.selfIssued;

export const tlsChecks: readonly Check<TlsObservation>[] = [
  protocolCheck('tls.protocol.sslv2', 'ssl2'),
  protocolCheck('tls.protocol.sslv3', 'ssl3'),
  protocolCheck('tls.protocol.tls10', 'tls1.0'),
  protocolCheck('tls.protocol.tls11', 'tls1.1'),
  missingProtocolCheck('tls.protocol.no-tls12', 'tls1.2'),
  missingProtocolCheck('tls.protocol.no-tls13', 'tls1.3'),
  suiteClassCheck('tls.cipher.null', 'null'),
  suiteClassCheck('tls.cipher.anon', 'anon'),
  suiteClassCheck('tls.cipher.export', 'export'),
  suiteClassCheck('tls.cipher.rc4', 'rc4'),
  suiteClassCheck('tls.cipher.3des', '3des'),
  cbcOnly,
  suiteClassCheck('tls.cipher.static-rsa', 'static-rsa'),
  weakDh,
  certCheck('tls.cert.expired', (cert, _leaf, ctx) => {
    const findings = cert.chain
      .map((c, i) => ({ c, i }))
      .filter(({ c, i }) => !isRootLike(c, i) && Date.parse(c.notAfter) < ctx.now.getTime())
      .map(({ c, i }) => ({
        ...(i === 0 ? {} : { key: c.fingerprint256 }),
        params: {
          subject: c.subject,
          notAfter: day(c.notAfter),
          days: Math.floor((ctx.now.getTime() - Date.parse(c.notAfter)) / DAY_MS),
        },
      }));
    return findings.length ? { status: 'fail', findings } : pass();
  }),
  certCheck('tls.cert.expiring', (_cert, leaf, ctx) => {
    const left = Date.parse(leaf.notAfter) - ctx.now.getTime();
    if (left < 0 || left > ctx.expiryDays * DAY_MS) return pass();
    return fail({
      subject: leaf.subject,
      notAfter: day(leaf.notAfter),
      days: Math.floor(left / DAY_MS),
      threshold: ctx.expiryDays,
    });
  }),
  certCheck('tls.cert.not-yet-valid', (_cert, leaf, ctx) =>
    Date.parse(leaf.notBefore) > ctx.now.getTime()
      ? fail({ subject: leaf.subject, notBefore: day(leaf.notBefore) })
      : pass(),
  ),
  certCheck('tls.cert.self-signed', (cert, leaf) =>
    cert.trust.status === 'self-signed' ? fail({ subject: leaf.subject }) : pass(),
  ),
  certCheck('tls.cert.untrusted', (cert, leaf) =>
    cert.trust.status === 'untrusted' ? fail({ subject: leaf.subject, detail: cert.trust.detail }) : pass(),
  ),
  certCheck('tls.cert.incomplete-chain', (cert, leaf) => {
    if (cert.missingIssuer === undefined) return pass();
    // The certificate whose issuer is missing: the last one the server sent on the path.
    const last = cert.chain.find((c) => c.issuer === cert.missingIssuer) ?? leaf;
    return fail({ subject: last.subject, missingIssuer: cert.missingIssuer });
  }),
  certCheck('tls.cert.hostname-mismatch', (cert, leaf) =>
    cert.nameMatches
      ? pass()
      : fail({
          name: cert.checkedName,
          names: leaf.subjectAltNames.length ? someNames(leaf.subjectAltNames) : leaf.subject,
        }),
  ),
  certCheck('tls.cert.weak-key', (_cert, leaf) => {
    const minimum = leaf.keyType === 'ec' ? 256 : leaf.keyType === 'rsa' || leaf.keyType === 'dsa' ? 2048 : 0;
    return leaf.keyBits < minimum
      ? fail({ subject: leaf.subject, keyType: leaf.keyType.toUpperCase(), bits: leaf.keyBits })
      : pass();
  }),
  certCheck('tls.cert.weak-signature', (cert) => {
    const findings = cert.chain
      .map((c, i) => ({ c, i }))
      .filter(
        ({ c, i }) => !isRootLike(c, i) && ['md2', 'md4', 'md5', 'sha1'].includes(c.signatureHash ?? ''),
      )
      .map(({ c, i }) => ({
        ...(i === 0 ? {} : { key: c.fingerprint256 }),
        params: { subject: c.subject, algorithm: c.signatureAlgorithm },
      }));
    return findings.length ? { status: 'fail', findings } : pass();
  }),
  certCheck('tls.cert.long-validity', (_cert, leaf) => {
    const days = Math.round((Date.parse(leaf.notAfter) - Date.parse(leaf.notBefore)) / DAY_MS);
    return days > MAX_VALIDITY_DAYS
      ? fail({ subject: leaf.subject, days, notBefore: day(leaf.notBefore), notAfter: day(leaf.notAfter) })
      : pass();
  }),
];
