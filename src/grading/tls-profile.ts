import {
  CIPHER_SUITES,
  TLS_VERSION_LABEL,
  type TlsObservation,
  type TlsProfile,
  type TlsProfileObservation,
  type TlsProfileResult,
  type TlsProfileRuleId,
  type TlsProfileViolation,
  type TlsVersionId,
} from '../domain/index.js';
import { t, type Lang } from '../i18n/index.js';

const SUITE_BY_NAME = new Map(CIPHER_SUITES.map((s) => [s.name, s]));
const DAY_MS = 86_400_000;

type Verdict = { kind: 'pass' } | { kind: 'fail'; observed: string } | { kind: 'unknown' } | { kind: 'n/a' };
const PASS: Verdict = { kind: 'pass' };
const UNKNOWN: Verdict = { kind: 'unknown' };
const NA: Verdict = { kind: 'n/a' };
const fail = (observed: string): Verdict => ({ kind: 'fail', observed });

/** A list rule: what was seen outside `allowed` fails; nothing outside but an incomplete list is unknown. */
function within(seen: string[] | null, complete: boolean, allowed: readonly string[]): Verdict {
  if (seen === null) return UNKNOWN;
  const outside = seen.filter((s) => !allowed.includes(s));
  if (outside.length > 0) return fail(outside.join(', '));
  return complete ? PASS : UNKNOWN;
}

function flag(seen: boolean | null, wanted: boolean, observedWhenWrong: string): Verdict {
  if (seen === null) return UNKNOWN;
  return seen === wanted ? PASS : fail(observedWhenWrong);
}

/**
 * Evaluates one endpoint's observation against one profile: every rule the profile states is
 * passed, failed (with what was observed) or not evaluated (not observed). The endpoint is
 * conformant only when every rule passed; nonconformant as soon as one failed; otherwise null.
 * Pure: no clock, no socket.
 */
export function evaluateTlsProfile(profile: TlsProfile, obs: TlsProfileObservation): TlsProfileResult {
  const r = profile.rules;
  const cert = obs.certificate;
  const verdicts: [TlsProfileRuleId, Verdict][] = [];
  const rule = (id: TlsProfileRuleId, v: Verdict): void => {
    verdicts.push([id, v]);
  };

  if (obs.versions === null) {
    rule('versions', UNKNOWN);
  } else {
    const outside = obs.versions.filter((v) => !r.versions.includes(v));
    if (outside.length > 0) rule('versions', fail(outside.map((v) => TLS_VERSION_LABEL[v]).join(', ')));
    else if (obs.versions.length === 0) rule('versions', fail('aucune'));
    else rule('versions', PASS);
  }

  const allowedSuites = [...r.suites, ...(r.degradedSuites ?? [])];
  rule('suites', within(obs.suites, obs.suitesComplete, allowedSuites));
  const degraded = (obs.suites ?? []).filter((s) => (r.degradedSuites ?? []).includes(s));

  if (r.forwardSecrecy === true) {
    const withoutFs = (obs.suites ?? []).filter((name) => {
      const s = SUITE_BY_NAME.get(name);
      return s !== undefined && s.kex !== 'TLS13' && !s.forwardSecrecy;
    });
    if (obs.suites === null) rule('forward-secrecy', UNKNOWN);
    else if (withoutFs.length > 0) rule('forward-secrecy', fail(withoutFs.join(', ')));
    else rule('forward-secrecy', obs.suitesComplete ? PASS : UNKNOWN);
  }

  if (r.groups !== undefined) rule('groups', within(obs.groups, obs.groupsComplete, r.groups));

  if (r.minDhBits !== undefined) {
    if (obs.dhBits !== null) {
      rule('dh-size', obs.dhBits >= r.minDhBits ? PASS : fail(`${obs.dhBits} bits`));
    } else {
      rule('dh-size', obs.dhObserved ? PASS : UNKNOWN);
    }
  }

  const certRule = (id: TlsProfileRuleId, judge: (c: NonNullable<typeof cert>) => Verdict): void => {
    rule(id, cert === null ? UNKNOWN : judge(cert));
  };
  if (r.certificateTypes !== undefined) {
    const types = r.certificateTypes;
    certRule('certificate-type', (c) => (types.includes(c.keyType) ? PASS : fail(c.keyType)));
  }
  if (r.minRsaBits !== undefined || r.minEcBits !== undefined) {
    certRule('certificate-key-size', (c) => {
      const min = c.keyType === 'rsa' ? r.minRsaBits : c.keyType === 'ec' ? r.minEcBits : undefined;
      if (min === undefined) return PASS;
      return c.keyBits >= min ? PASS : fail(`${c.keyType.toUpperCase()} ${c.keyBits} bits`);
    });
  }
  if (r.certificateCurves !== undefined) {
    const curves = r.certificateCurves;
    certRule('certificate-curve', (c) => {
      if (c.keyType !== 'ec') return NA;
      return c.curve !== undefined && curves.includes(c.curve) ? PASS : fail(c.curve ?? 'inconnue');
    });
  }
  if (r.signatureAlgorithms !== undefined || r.signatureHashes !== undefined) {
    certRule('signature-algorithm', (c) => {
      if (r.signatureAlgorithms !== undefined && !r.signatureAlgorithms.includes(c.signatureAlgorithm))
        return fail(c.signatureAlgorithm);
      if (r.signatureHashes !== undefined && !r.signatureHashes.includes(c.signatureHash ?? ''))
        return fail(c.signatureAlgorithm);
      return PASS;
    });
  }
  if (r.maxCertificateLifespanDays !== undefined) {
    const max = r.maxCertificateLifespanDays;
    certRule('certificate-lifespan', (c) => {
      const days = Math.ceil((Date.parse(c.notAfter) - Date.parse(c.notBefore)) / DAY_MS);
      if (!Number.isFinite(days)) return UNKNOWN;
      return days <= max ? PASS : fail(`${days} jours`);
    });
  }
  if (r.hstsMinAge !== undefined) {
    const min = r.hstsMinAge;
    if (!obs.web) rule('hsts', NA);
    else if (obs.hstsMaxAge === null) rule('hsts', UNKNOWN);
    else rule('hsts', obs.hstsMaxAge >= min ? PASS : fail(`max-age=${obs.hstsMaxAge}`));
  }
  if (r.ocspStapling === true) rule('ocsp-stapling', flag(obs.ocspStapling, true, 'absente'));
  if (r.noCompression === true) rule('compression', flag(obs.compression, false, 'DEFLATE'));
  if (r.secureRenegotiation === true) {
    const legacy = obs.versions?.some((v) => v !== 'tls1.3') ?? false;
    if (obs.versions !== null && !legacy) rule('secure-renegotiation', NA);
    else rule('secure-renegotiation', flag(obs.secureRenegotiation, true, 'absente'));
  }

  const violations: TlsProfileViolation[] = [];
  const notEvaluated: TlsProfileRuleId[] = [];
  for (const [id, v] of verdicts) {
    if (v.kind === 'fail') violations.push({ rule: id, observed: v.observed });
    else if (v.kind === 'unknown') notEvaluated.push(id);
  }
  return {
    profile: profile.id,
    version: profile.version,
    conformant: violations.length > 0 ? false : notEvaluated.length > 0 ? null : true,
    violations,
    notEvaluated,
    degraded,
  };
}

/** A profile observation of nothing: TLS was not observed on the endpoint. */
export function unobservedTlsProfileObservation(web: boolean): TlsProfileObservation {
  return {
    versions: null,
    suites: null,
    suitesComplete: false,
    groups: null,
    groupsComplete: false,
    dhBits: null,
    dhObserved: false,
    certificate: null,
    web,
    hstsMaxAge: null,
    ocspStapling: null,
    compression: null,
    secureRenegotiation: null,
  };
}

/**
 * What a profile reads of a TLS observation. `hstsMaxAge`: the page's HSTS max-age (0 when it
 * answered without valid HSTS), undefined when the page was not read; `web`: an HTTPS endpoint.
 */
export function tlsProfileObservation(
  obs: TlsObservation,
  page: { web: boolean; hstsMaxAge?: number },
): TlsProfileObservation {
  const versions = (Object.keys(obs.protocols) as TlsVersionId[]).filter((v) => {
    const p = obs.protocols[v];
    return p.kind === 'accepted' && p.version === v;
  });
  const e = obs.enumeration;
  // Suites: every version's enumeration, plus what the family probes saw (SSLv3 and anything missed).
  const suites = new Set<string>();
  for (const v of Object.values(e?.versions ?? {})) for (const s of v.suites) suites.add(s);
  for (const cls of Object.values(obs.suites)) if (cls.kind === 'accepted') suites.add(cls.suiteName);
  for (const v of versions) {
    const p = obs.protocols[v];
    if (p.kind === 'accepted') suites.add(p.suiteName);
  }
  const enumeratedAll =
    e !== undefined &&
    !e.truncated &&
    versions.every((v) => v === 'ssl2' || v === 'ssl3' || e.versions[v] !== undefined) &&
    !versions.includes('ssl2') &&
    !versions.includes('ssl3');
  const dhe = obs.suites.dhe;
  const leaf = obs.certificate.status === 'observed' ? obs.certificate.value.chain[0] : undefined;
  return {
    versions,
    suites: e === undefined ? null : [...suites],
    suitesComplete: enumeratedAll,
    groups: e?.groups ?? null,
    groupsComplete: e !== undefined && !e.truncated && e.groups !== null,
    dhBits: dhe.kind === 'accepted' ? (dhe.dhPrimeBits ?? null) : null,
    dhObserved: dhe.kind === 'rejected' || dhe.kind === 'not-applicable',
    certificate: leaf
      ? {
          keyType: leaf.keyType,
          keyBits: leaf.keyBits,
          ...(leaf.curve === undefined ? {} : { curve: leaf.curve }),
          signatureAlgorithm: leaf.signatureAlgorithm,
          ...(leaf.signatureHash === undefined ? {} : { signatureHash: leaf.signatureHash }),
          notBefore: leaf.notBefore,
          notAfter: leaf.notAfter,
        }
      : null,
    web: page.web,
    hstsMaxAge: page.hstsMaxAge ?? null,
    ocspStapling: e?.ocspStapling ?? null,
    compression: e?.compression ?? null,
    secureRenegotiation: e?.secureRenegotiation ?? null,
  };
}

/** The violations of a result in plain words, e.g. « versions hors profil : TLS 1.0 ; … ». */
export function describeViolations(result: TlsProfileResult, lang: Lang): string {
  return result.violations
    .map((v) => t(lang, `tls-profile.rule.${v.rule}`, { observed: v.observed }))
    .join(lang === 'en' ? '; ' : ' ; ');
}
