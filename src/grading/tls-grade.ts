import {
  TLS_VERSION_LABEL,
  TLS_VERSIONS,
  notEvaluatedGrade,
  type CertFacts,
  type NotEvaluatedGrade,
  type HelloResult,
  type SuiteClass,
  type SuiteClassResult,
  type CertObservation,
  type TlsGrade,
  type TlsObservation,
  type TlsVersionId,
} from '../domain/index.js';
// Pure data (the IANA suite table): grading may read it without depending on the probes.
import { ssl2SpecByCode, suiteByCode } from '../domain/cipher-suites.js';
import { t, type Lang, type MessageKey, type Params } from '../i18n/index.js';

/**
 * TLS grade of one endpoint after the Qualys SSL Labs SSL Server Rating Guide:
 * - numerical part (tables 1–5): https://github.com/ssllabs/research/wiki/SSL-Server-Rating-Guide,
 *   version 2009q (31 January 2020) with rule 2009r (TLS 1.3); the DocBook source of the tables is
 *   docs/SSL_Server_Rating_Guide.xml of the same repository. SSL 2.0 scores 0 % (it was 20 % before
 *   2009q), TLS 1.3 scores 100 %;
 * - caps: the guide's "Changes" section and the Qualys announcements: « Announcing SSL Labs Grading
 *   Changes for 2017 » (3DES with TLS 1.1+ → C, no forward secrecy / no AEAD → B, SHA-1 → T) and
 *   « SSL Labs Grade Change for TLS 1.0 and TLS 1.1 Protocols » (B since 31 January 2020).
 *
 * score = 0.3 protocol + 0.3 key exchange + 0.4 cipher strength; a category at 0 sets the score to
 * 0 (guide, "Methodology overview"). Letters A ≥ 80, B ≥ 65, C ≥ 50, D ≥ 35, E ≥ 20, F < 20; then
 * the caps lower the letter; T (trust) and M (name mismatch) replace it, the letter it would have
 * otherwise is kept in the first warning (« T (sinon B) »). A becomes A- when there is a warning,
 * A+ when there is none and HSTS is at least 180 days.
 *
 * What vigie does not see, and how it is graded (never to the server's advantage):
 * - SSL Labs lists every suite the server accepts; vigie sees, per protocol, the suite the server
 *   picks from a full offer, and, per family (NULL, anon, EXPORT, RC4, 3DES, static RSA, AEAD, DHE),
 *   the suite it picks when offered that family alone. The strongest and weakest ciphers are taken
 *   over those suites only: the strongest may be underestimated (the server prefers AES-128 though
 *   it has AES-256), the weakest overestimated only for suites outside the probed families.
 * - The ECDHE group is not read: the key exchange is scored from the certificate key (EC keys by
 *   their RSA-equivalent size) and the DHE group, the weakest of the two.
 * - The browser handshake simulations are not run: a weak suite counts as soon as it is accepted.
 * - One ClientHello that failed (error) yields a « non évalué » warning: no cap is lifted by it,
 *   and since a warning turns A into A-, the grade is never better for the missing data.
 * - A certificate that could not be read leaves trust, name, key and signature unknown: their caps
 *   (T, M, F) are the ones that matter most, so there is no letter: the grade is « not-evaluated »
 *   with the reason (vigie-2; vigie-1 gave a letter with a warning, A- at best). When no DHE group
 *   is known, the key exchange is scored from the certificate key alone.
 * Deliberate difference: TLS 1.3 without TLS 1.2 is not capped at C (the rule, from 2014, targets
 * servers stuck on old protocols; a TLS 1.3-only server is stricter than it asks).
 * OCSP, revocation, renegotiation, compression and the named attacks (Heartbleed, ROBOT, POODLE…)
 * are not tested and not graded.
 */
export const TLS_SCORING_VERSION = 'ssllabs-2009r+vigie-2';

export interface GradeTlsContext {
  /**
   * HSTS `max-age` in seconds, from the HTTP probe of the same endpoint: 0 when it answered without
   * a valid HSTS header; absent when unknown (not a web endpoint, or not probed) — then no A+ and
   * no HSTS warning.
   */
  hstsMaxAge?: number;
  /** The instant validity dates are checked against; defaults to now. Pass the run's clock. */
  now?: Date;
  /** Language of the caps' reasons and the warnings (French by default). */
  lang?: Lang;
}

export type TlsCap = TlsGrade['caps'][number];

/** 180 days: HSTS at least this long is required for A+. */
export const HSTS_MIN_MAX_AGE = 15_552_000;

/** Table 2 (protocol support), 2009q: SSL 2.0 at 0 %; 2009r: TLS 1.3 at 100 %. */
export const PROTOCOL_SCORE: Readonly<Record<TlsVersionId, number>> = {
  ssl2: 0,
  ssl3: 80,
  'tls1.0': 90,
  'tls1.1': 95,
  'tls1.2': 100,
  'tls1.3': 100,
};

/** Table 3 (key exchange): key or DH parameter strength, in RSA-equivalent bits. */
export function keyExchangeStrengthScore(bits: number): number {
  if (bits < 512) return 20;
  if (bits < 1024) return 40;
  if (bits < 2048) return 80;
  if (bits < 4096) return 90;
  return 100;
}
/** Table 3: "exportable key exchange (limited to 512 bits)". */
const EXPORT_KEX_SCORE = 40;
/** Table 3: "anonymous key exchange (no authentication)". */
const ANON_KEX_SCORE = 0;

/** Table 4 (cipher strength), in effective symmetric key bits (3DES counts 112). */
export function cipherStrengthScore(bits: number): number {
  if (bits === 0) return 0;
  if (bits < 128) return 20;
  if (bits < 256) return 80;
  return 100;
}

/** Table 1 (letter grade translation). */
export function tlsLetter(score: number): string {
  if (score >= 80) return 'A';
  if (score >= 65) return 'B';
  if (score >= 50) return 'C';
  if (score >= 35) return 'D';
  if (score >= 20) return 'E';
  return 'F';
}

/** Grades from worst to best; T and M are not on this scale. */
const ORDER = ['F', 'E', 'D', 'C', 'B', 'A-', 'A', 'A+'];
const worse = (a: string, b: string): string => (ORDER.indexOf(b) < ORDER.indexOf(a) ? b : a);

/**
 * RSA-equivalent size of a certificate key: RSA and DSA by their modulus, elliptic curves (and
 * EdDSA) after NIST SP 800-57 Part 1, table 2 (160 → 1024, 224 → 2048, 256 → 3072, 384 → 7680,
 * 512 → 15360). Undefined when the key type is unknown.
 */
export function rsaEquivalentBits(cert: Pick<CertFacts, 'keyType' | 'keyBits'>): number | undefined {
  switch (cert.keyType) {
    case 'rsa':
    case 'rsa-pss':
    case 'dsa':
      return cert.keyBits > 0 ? cert.keyBits : undefined;
    case 'ec':
    case 'ed25519':
    case 'ed448': {
      const f = cert.keyBits;
      if (f <= 0) return undefined;
      if (f >= 512) return 15360;
      if (f >= 384) return 7680;
      if (f >= 256) return 3072;
      if (f >= 224) return 2048;
      if (f >= 160) return 1024;
      return 512;
    }
    default:
      return undefined;
  }
}

const SUITE_CLASS_LABEL: Record<SuiteClass, string> = {
  null: 'NULL',
  anon: 'anonymes',
  export: 'EXPORT',
  rc4: 'RC4',
  '3des': '3DES',
  'static-rsa': 'RSA statique',
  aead: 'AEAD',
  dhe: 'DHE',
};

/** Effective bits of a family's suite when the suite table does not know its code. */
const FAMILY_BITS: Partial<Record<SuiteClass, number>> = {
  null: 0,
  export: 40,
  rc4: 128,
  '3des': 112,
  aead: 128,
};

interface SeenSuite {
  name: string;
  bits: number;
  forwardSecrecy: boolean | undefined;
  aead: boolean | undefined;
}

const negotiated = (r: HelloResult, v: TlsVersionId): r is Extract<HelloResult, { kind: 'accepted' }> =>
  r.kind === 'accepted' && r.version === v;

const atLeastTls11 = (v: TlsVersionId): boolean => TLS_VERSIONS.indexOf(v) >= TLS_VERSIONS.indexOf('tls1.1');

const day = (iso: string): string => iso.slice(0, 10);

/** Self-issued certificates after the leaf are trust anchors: their own dates and signature do not count. */
const isRootLike = (c: CertFacts, index: number): boolean => index > 0 && c.selfIssued;

const round1 = (x: number): number => Math.round((x + Number.EPSILON) * 10) / 10;

function describeSuite(code: number, name: string, family?: SuiteClass): SeenSuite | undefined {
  const suite = suiteByCode(code);
  if (suite) {
    return { name: suite.name, bits: suite.bits, forwardSecrecy: suite.forwardSecrecy, aead: suite.aead };
  }
  const bits = family === undefined ? undefined : FAMILY_BITS[family];
  if (bits === undefined) return undefined;
  return { name, bits, forwardSecrecy: undefined, aead: family === 'aead' ? true : undefined };
}

/**
 * Grades a TLS observation; every cap that applied is listed with its reason, every part that could
 * not be observed with a « non évalué » warning. Without the certificate there is no letter.
 */
export function gradeTls(obs: TlsObservation, ctx: GradeTlsContext = {}): TlsGrade | NotEvaluatedGrade {
  const lang = ctx.lang ?? 'fr';
  const cert = obs.certificate;
  if (cert.status !== 'observed') {
    return cert.status === 'error'
      ? notEvaluatedGrade(
          cert.reason,
          t(lang, 'errlang.tls-grade.certificate', { detail: cert.detail }),
          TLS_SCORING_VERSION,
        )
      : notEvaluatedGrade(
          'internal',
          t(lang, 'errlang.tls-grade.certificate', { detail: cert.because }),
          TLS_SCORING_VERSION,
        );
  }
  if (cert.value.chain[0] === undefined) {
    return notEvaluatedGrade(
      'protocol-error',
      t(lang, 'errlang.tls-grade.no-certificate'),
      TLS_SCORING_VERSION,
    );
  }
  return gradeObserved(obs, cert.value, ctx);
}

function gradeObserved(obs: TlsObservation, c: CertObservation, ctx: GradeTlsContext): TlsGrade {
  const now = (ctx.now ?? new Date()).getTime();
  const caps: TlsCap[] = [];
  const warnings: string[] = [];
  const lang = ctx.lang ?? 'fr';
  const say = (key: MessageKey, params: Params = {}): string => t(lang, key, params);
  const cap = (grade: string, key: MessageKey, params: Params = {}): void => {
    caps.push({ cap: grade, reason: say(key, params) });
  };

  // ------------------------------------------------------------------------------- protocols
  const supported = TLS_VERSIONS.filter((v) => negotiated(obs.protocols[v], v));
  for (const v of TLS_VERSIONS) {
    const r = obs.protocols[v];
    if (r.kind === 'error')
      warnings.push(
        say('errlang.tls-grade.version-not-evaluated', {
          version: TLS_VERSION_LABEL[v],
          reason: r.reason,
          detail: r.detail,
        }),
      );
  }
  const best = supported[supported.length - 1];
  const worst = supported[0];
  if (best === undefined || worst === undefined) {
    return {
      grade: 'F',
      score: 0,
      protocolScore: 0,
      keyExchangeScore: 0,
      cipherScore: 0,
      caps: [{ cap: 'F', reason: say('errlang.tls-grade.no-version') }],
      warnings,
      scoringVersion: TLS_SCORING_VERSION,
    };
  }
  const protocolScore = (PROTOCOL_SCORE[best] + PROTOCOL_SCORE[worst]) / 2;
  const has = (v: TlsVersionId): boolean => supported.includes(v);

  if (has('ssl2')) cap('F', 'errlang.tls-grade.ssl2');
  if (best === 'ssl3') cap('F', 'errlang.tls-grade.ssl3-best');
  if (has('tls1.0')) cap('B', 'errlang.tls-grade.obsolete', { version: 'TLS 1.0' });
  if (has('tls1.1')) cap('B', 'errlang.tls-grade.obsolete', { version: 'TLS 1.1' });
  if (!has('tls1.2') && !has('tls1.3') && obs.protocols['tls1.2'].kind !== 'error') {
    cap('C', 'errlang.tls-grade.no-tls12', { best: TLS_VERSION_LABEL[best] });
  }
  if (!has('tls1.3') && obs.protocols['tls1.3'].kind !== 'error') warnings.push('TLS 1.3 absent');

  // ---------------------------------------------------------------------------------- suites
  const seen: SeenSuite[] = [];
  const preferred: { version: TlsVersionId; suite: SeenSuite }[] = [];
  for (const v of supported) {
    const r = obs.protocols[v];
    if (r.kind !== 'accepted') continue;
    if (v === 'ssl2') {
      const spec = ssl2SpecByCode(r.suite);
      if (spec) seen.push({ name: spec.name, bits: spec.bits, forwardSecrecy: false, aead: false });
      else warnings.push(`suite SSLv2 inconnue (${r.suiteName}) : force non évaluée`);
      continue;
    }
    const s = describeSuite(r.suite, r.suiteName);
    if (s) {
      seen.push(s);
      preferred.push({ version: v, suite: s });
    } else warnings.push(`suite inconnue ${r.suiteName} en ${TLS_VERSION_LABEL[v]} : force non évaluée`);
  }
  const classes = obs.suites;
  const accepted = (cls: SuiteClass): Extract<SuiteClassResult, { kind: 'accepted' }> | undefined => {
    const r = classes[cls];
    return r.kind === 'accepted' ? r : undefined;
  };
  for (const cls of Object.keys(SUITE_CLASS_LABEL) as SuiteClass[]) {
    const r = classes[cls];
    if (r.kind === 'error') {
      warnings.push(
        say('errlang.tls-grade.suites-not-evaluated', {
          suites: SUITE_CLASS_LABEL[cls],
          reason: r.reason,
          detail: r.detail,
        }),
      );
    } else if (r.kind === 'accepted') {
      const s = describeSuite(r.suite, r.suiteName, cls);
      if (s) seen.push(s);
      else warnings.push(`suite inconnue ${r.suiteName} : force non évaluée`);
    }
  }

  const nullSuite = accepted('null');
  if (nullSuite) cap('F', 'errlang.tls-grade.null', { suite: nullSuite.suiteName });
  const anon = accepted('anon');
  if (anon) cap('F', 'errlang.tls-grade.anon', { suite: anon.suiteName });
  const exp = accepted('export');
  if (exp) cap('F', 'errlang.tls-grade.export', { suite: exp.suiteName });
  const weak = [
    ...new Set(seen.filter((s) => s.bits > 0 && s.bits < 112).map((s) => `${s.name} (${s.bits} bits)`)),
  ];
  if (weak.length > 0) cap('F', 'errlang.tls-grade.weak', { suites: weak.join(', ') });

  const rc4 = accepted('rc4');
  if (rc4) {
    cap('B', 'errlang.tls-grade.rc4', { suite: rc4.suiteName });
    if (atLeastTls11(rc4.version))
      cap('C', 'errlang.tls-grade.rc4-modern', { version: TLS_VERSION_LABEL[rc4.version] });
  }
  const tdes = accepted('3des');
  if (tdes && atLeastTls11(tdes.version)) {
    cap('C', 'errlang.tls-grade.3des', { version: TLS_VERSION_LABEL[tdes.version], suite: tdes.suiteName });
  }

  const staticRsa = accepted('static-rsa');
  const preferredWithoutFs = preferred.find((p) => p.suite.forwardSecrecy === false);
  if (staticRsa) {
    cap('B', 'errlang.tls-grade.static-rsa', { suite: staticRsa.suiteName });
  } else if (preferredWithoutFs) {
    cap('B', 'errlang.tls-grade.preferred-no-fs', {
      version: TLS_VERSION_LABEL[preferredWithoutFs.version],
      suite: preferredWithoutFs.suite.name,
    });
  }

  const hasAead = has('tls1.3') || accepted('aead') !== undefined || seen.some((s) => s.aead === true);
  if (!hasAead && classes.aead.kind !== 'error') cap('B', 'errlang.tls-grade.no-aead');

  // ------------------------------------------------------------------------------ certificate
  const kex: number[] = [];
  {
    const leaf = c.chain[0]!;
    if (c.trust.status === 'self-signed')
      cap('T', 'errlang.tls-grade.self-signed', { subject: leaf.subject });
    if (c.trust.status === 'untrusted') {
      cap('T', 'errlang.tls-grade.untrusted', { detail: c.trust.detail });
    }
    c.chain.forEach((x, i) => {
      if (isRootLike(x, i)) return;
      if (Date.parse(x.notAfter) < now)
        cap('T', 'errlang.tls-grade.expired', { date: day(x.notAfter), subject: x.subject });
      const hash = x.signatureHash ?? '';
      if (['md2', 'md4', 'md5'].includes(hash)) {
        cap('F', 'errlang.tls-grade.signature', { hash: hash.toUpperCase(), subject: x.subject });
      } else if (hash === 'sha1')
        cap('T', 'errlang.tls-grade.signature', { hash: 'SHA-1', subject: x.subject });
    });
    if (Date.parse(leaf.notBefore) > now)
      cap('T', 'errlang.tls-grade.not-yet-valid', { date: day(leaf.notBefore) });
    if (!c.nameMatches) cap('M', 'errlang.tls-grade.name-mismatch', { name: c.checkedName });
    if (c.missingIssuer !== undefined) {
      cap('B', 'errlang.tls-grade.incomplete-chain', { issuer: c.missingIssuer });
    }

    const keyBits = rsaEquivalentBits(leaf);
    const keyLabel = `${leaf.keyType.toUpperCase()} ${leaf.keyBits} bits`;
    if (keyBits === undefined) {
      warnings.push(say('errlang.tls-grade.key-not-evaluated', { type: leaf.keyType, bits: leaf.keyBits }));
    } else {
      const equivalent =
        keyBits === leaf.keyBits ? '' : say('errlang.tls-grade.rsa-equivalent', { bits: keyBits });
      kex.push(keyExchangeStrengthScore(keyBits));
      if (keyBits < 1024) cap('F', 'errlang.tls-grade.key-too-weak', { key: keyLabel, equivalent });
      else if (keyBits < 2048) cap('B', 'errlang.tls-grade.key-below-2048', { key: keyLabel, equivalent });
    }
  }

  // ----------------------------------------------------------------------------- key exchange
  const dhBits = [...supported.map((v) => obs.protocols[v]), ...Object.values(classes)].flatMap((r) =>
    r.kind === 'accepted' && r.dhPrimeBits !== undefined ? [r.dhPrimeBits] : [],
  );
  const dhe = accepted('dhe');
  if (dhe && dhe.dhPrimeBits === undefined) warnings.push(say('errlang.tls-grade.dhe-not-read'));
  if (dhBits.length > 0) {
    const bits = Math.min(...dhBits);
    kex.push(keyExchangeStrengthScore(bits));
    if (bits < 1024) cap('F', 'errlang.tls-grade.dh-too-weak', { bits });
    else if (bits < 2048) cap('B', 'errlang.tls-grade.dh-below-2048', { bits });
  }
  if (exp) kex.push(EXPORT_KEX_SCORE);
  if (anon) kex.push(ANON_KEX_SCORE);
  const keyExchangeScore = kex.length > 0 ? Math.min(...kex) : undefined;
  if (keyExchangeScore === undefined) {
    warnings.push(say('errlang.tls-grade.kex-not-evaluated'));
  }

  // ----------------------------------------------------------------------------------- cipher
  const bits = seen.map((s) => s.bits);
  const cipherScore =
    bits.length > 0
      ? (cipherStrengthScore(Math.max(...bits)) + cipherStrengthScore(Math.min(...bits))) / 2
      : undefined;
  if (cipherScore === undefined) {
    warnings.push(say('errlang.tls-grade.cipher-not-evaluated'));
  }

  // ------------------------------------------------------------------------------------- HSTS
  if (ctx.hstsMaxAge !== undefined) {
    if (ctx.hstsMaxAge <= 0) warnings.push(say('errlang.tls-grade.hsts-missing'));
    else if (ctx.hstsMaxAge < HSTS_MIN_MAX_AGE) {
      warnings.push(
        say('errlang.tls-grade.hsts-short', { maxAge: ctx.hstsMaxAge, minimum: HSTS_MIN_MAX_AGE }),
      );
    }
  }

  // ------------------------------------------------------------------------------------ grade
  const parts = [
    { weight: 0.3, score: protocolScore },
    { weight: 0.3, score: keyExchangeScore },
    { weight: 0.4, score: cipherScore },
  ].filter((p): p is { weight: number; score: number } => p.score !== undefined);
  const weight = parts.reduce((sum, p) => sum + p.weight, 0);
  const score = parts.some((p) => p.score === 0)
    ? 0
    : round1(parts.reduce((sum, p) => sum + p.weight * p.score, 0) / weight);

  let letter = caps
    .filter((c) => c.cap !== 'T' && c.cap !== 'M')
    .reduce((g, c) => worse(g, c.cap), tlsLetter(score));
  if (letter === 'A') {
    if (warnings.length > 0) letter = 'A-';
    else if (ctx.hstsMaxAge !== undefined && ctx.hstsMaxAge >= HSTS_MIN_MAX_AGE) letter = 'A+';
  }
  let grade = letter;
  const untrusted = caps.some((c) => c.cap === 'T');
  const mismatch = caps.some((c) => c.cap === 'M');
  if (untrusted || mismatch) {
    grade = untrusted ? 'T' : 'M';
    const ifFixed = untrusted && mismatch ? 'both' : untrusted ? 'trusted' : 'name';
    warnings.unshift(say(`errlang.tls-grade.if-fixed.${ifFixed}`, { grade, letter }));
  }

  return {
    grade,
    score,
    protocolScore,
    keyExchangeScore: keyExchangeScore ?? 0,
    cipherScore: cipherScore ?? 0,
    caps,
    warnings,
    scoringVersion: TLS_SCORING_VERSION,
  };
}
