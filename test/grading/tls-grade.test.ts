import { describe, expect, it } from 'vitest';
import type {
  CertFacts,
  CertObservation,
  HelloResult,
  SuiteClass,
  SuiteClassResult,
  TlsGrade,
  TlsObservation,
  TlsVersionId,
} from '../../src/domain/index.js';
import {
  gradeTls,
  rsaEquivalentBits,
  TLS_SCORING_VERSION,
  tlsLetter,
  type GradeTlsContext,
} from '../../src/grading/index.js';
import { suiteByCode } from '../../src/domain/cipher-suites.js';
import { isGraded } from '../../src/domain/index.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const ONE_YEAR = 31_536_000;

const ECDHE_AES128_GCM = 0xc02f;
const ECDHE_AES256_GCM = 0xc030;
const ECDHE_AES128_CBC = 0xc013;
const TLS13_AES256_GCM = 0x1302;
const RSA_RC4_128 = 0x0005;
const RSA_3DES = 0x000a;
const RSA_AES128_CBC = 0x002f;
const RSA_EXPORT_RC4_40 = 0x0003;
const RSA_NULL_MD5 = 0x0001;
const DH_ANON_AES128 = 0x0034;
const DHE_AES128_GCM = 0x009e;
const SSL2_RC4_128 = 0x010080;

const name = (code: number): string => suiteByCode(code)?.name ?? `0x${code.toString(16)}`;
const accepted = (version: TlsVersionId, code: number): HelloResult => ({
  kind: 'accepted',
  version,
  suite: code,
  suiteName: name(code),
});
const rejected: HelloResult = { kind: 'rejected', detail: 'handshake_failure' };
const family = (version: TlsVersionId, code: number, dhPrimeBits?: number): SuiteClassResult => ({
  kind: 'accepted',
  version,
  suite: code,
  suiteName: name(code),
  ...(dhPrimeBits === undefined ? {} : { dhPrimeBits }),
});

function cert(over: Partial<CertFacts> = {}): CertFacts {
  return {
    subject: 'CN=www.exemple.fr',
    issuer: 'CN=Autorité intermédiaire',
    serialNumber: '01',
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2026-12-01T00:00:00.000Z',
    subjectAltNames: ['DNS:www.exemple.fr'],
    keyType: 'rsa',
    keyBits: 2048,
    signatureAlgorithm: 'sha256WithRSAEncryption',
    signatureHash: 'sha256',
    selfIssued: false,
    isCa: false,
    fingerprint256: 'AA',
    ...over,
  };
}

const INTERMEDIATE = cert({
  subject: 'CN=Autorité intermédiaire',
  issuer: 'CN=Racine',
  isCa: true,
  fingerprint256: 'BB',
});

/** TLS 1.2 + 1.3, ECDHE with AEAD suites only, RSA 2048, trusted chain, matching name. */
function modern(): TlsObservation {
  const certificate: CertObservation = {
    chain: [cert(), INTERMEDIATE],
    checkedName: 'www.exemple.fr',
    nameMatches: true,
    trust: { status: 'trusted', anchor: 'CN=Racine', detail: 'ok' },
  };
  const suites = Object.fromEntries(
    (['null', 'anon', 'export', 'rc4', '3des', 'static-rsa', 'aead', 'dhe'] as SuiteClass[]).map(
      (c): [SuiteClass, SuiteClassResult] => [c, { kind: 'rejected' }],
    ),
  ) as Record<SuiteClass, SuiteClassResult>;
  suites.aead = family('tls1.2', ECDHE_AES256_GCM);
  return {
    protocols: {
      ssl2: rejected,
      ssl3: rejected,
      'tls1.0': rejected,
      'tls1.1': rejected,
      'tls1.2': accepted('tls1.2', ECDHE_AES128_GCM),
      'tls1.3': accepted('tls1.3', TLS13_AES256_GCM),
    },
    suites,
    certificate: { status: 'observed', value: certificate },
  };
}

/** A modern observation changed by `edit`. */
function variant(edit: (o: TlsObservation, c: CertObservation) => void): TlsObservation {
  const o = modern();
  if (o.certificate.status !== 'observed') throw new Error('unreachable');
  edit(o, o.certificate.value);
  return o;
}

const grade = (o: TlsObservation, ctx: GradeTlsContext = {}): TlsGrade => {
  const g = gradeTls(o, { now: NOW, ...ctx });
  if (!isGraded(g)) throw new Error(`expected a letter, got ${JSON.stringify(g)}`);
  return g;
};
const capsOf = (g: TlsGrade): string[] => g.caps.map((c) => c.cap);
const capWith = (g: TlsGrade, text: string): string | undefined =>
  g.caps.find((c) => c.reason.includes(text))?.cap;

describe('gradeTls (SSL Labs server rating guide)', () => {
  it('gives a modern trusted TLS 1.2 + 1.3 server an A with the three category scores', () => {
    const g = grade(modern());
    expect(g).toEqual({
      grade: 'A',
      // 0.3 × 100 (TLS 1.3 / 1.2) + 0.3 × 90 (RSA 2048) + 0.4 × (100 [256 bits] + 80 [128 bits]) / 2
      score: 93,
      protocolScore: 100,
      keyExchangeScore: 90,
      cipherScore: 90,
      caps: [],
      warnings: [],
      scoringVersion: TLS_SCORING_VERSION,
    });
  });

  it('gives A+ only with HSTS of at least 180 days, A- when HSTS is missing or short', () => {
    expect(grade(modern(), { hstsMaxAge: ONE_YEAR }).grade).toBe('A+');
    expect(grade(modern(), { hstsMaxAge: 15_552_000 }).grade).toBe('A+');
    const short = grade(modern(), { hstsMaxAge: 86_400 });
    expect(short.grade).toBe('A-');
    expect(short.warnings).toEqual([expect.stringContaining('HSTS trop court')]);
    const missing = grade(modern(), { hstsMaxAge: 0 });
    expect(missing).toMatchObject({ grade: 'A-', warnings: ['HSTS absent'] });
  });

  it('gives A- without TLS 1.3, even with HSTS', () => {
    const g = grade(
      variant((o) => {
        o.protocols['tls1.3'] = rejected;
      }),
      { hstsMaxAge: ONE_YEAR },
    );
    expect(g).toMatchObject({ grade: 'A-', caps: [], warnings: ['TLS 1.3 absent'] });
  });

  it('caps TLS 1.0 at B and lowers the protocol score to (best + worst) / 2', () => {
    const g = grade(
      variant((o) => {
        o.protocols['tls1.0'] = accepted('tls1.0', ECDHE_AES128_CBC);
      }),
      { hstsMaxAge: ONE_YEAR },
    );
    expect(g.protocolScore).toBe(95);
    expect(g.score).toBe(91.5);
    expect(g.grade).toBe('B');
    expect(g.caps).toEqual([{ cap: 'B', reason: 'TLS 1.0 accepté (obsolète, RFC 8996)' }]);
  });

  it('caps RC4 at B, and at C when it is negotiated with TLS 1.1 or newer', () => {
    const old = grade(
      variant((o) => {
        o.protocols['tls1.0'] = accepted('tls1.0', ECDHE_AES128_CBC);
        o.suites.rc4 = family('tls1.0', RSA_RC4_128);
      }),
    );
    expect(old.grade).toBe('B');
    expect(capWith(old, 'RC4 accepté : TLS_RSA_WITH_RC4_128_SHA')).toBe('B');
    expect(capsOf(old)).not.toContain('C');

    const modernRc4 = grade(
      variant((o) => {
        o.suites.rc4 = family('tls1.2', RSA_RC4_128);
      }),
    );
    expect(modernRc4.grade).toBe('C');
    expect(capWith(modernRc4, 'RC4 accepté en TLS 1.2')).toBe('C');
  });

  it('caps 3DES with TLS 1.2 at C, and counts its 112 bits as the weakest cipher', () => {
    const g = grade(
      variant((o) => {
        o.suites['3des'] = family('tls1.2', RSA_3DES);
      }),
    );
    expect(g.cipherScore).toBe(60); // (100 + 20) / 2
    expect(g.score).toBe(81);
    expect(g.grade).toBe('C');
    expect(capsOf(g)).toEqual(['C']);
    expect(capWith(g, '3DES (Sweet32) accepté en TLS 1.2 : TLS_RSA_WITH_3DES_EDE_CBC_SHA')).toBe('C');
  });

  it('caps a server without TLS 1.2 at C (with its TLS 1.0/1.1 and CBC-only caps listed)', () => {
    const g = grade(
      variant((o) => {
        o.protocols['tls1.0'] = accepted('tls1.0', ECDHE_AES128_CBC);
        o.protocols['tls1.1'] = accepted('tls1.1', ECDHE_AES128_CBC);
        o.protocols['tls1.2'] = rejected;
        o.protocols['tls1.3'] = rejected;
        o.suites.aead = { kind: 'rejected' };
      }),
    );
    expect(g.protocolScore).toBe(92.5);
    expect(g.grade).toBe('C');
    expect(capsOf(g).sort()).toEqual(['B', 'B', 'B', 'C']);
    expect(capWith(g, 'TLS 1.2 non pris en charge')).toBe('C');
    expect(capWith(g, 'aucune suite AEAD')).toBe('B');
  });

  it('does not cap a TLS 1.3-only server for the missing TLS 1.2', () => {
    const g = grade(
      variant((o) => {
        o.protocols['tls1.2'] = rejected;
        for (const c of Object.keys(o.suites) as SuiteClass[]) {
          o.suites[c] = { kind: 'not-applicable', because: 'aucune version entre SSLv3 et TLS 1.2' };
        }
      }),
      { hstsMaxAge: ONE_YEAR },
    );
    expect(g).toMatchObject({ grade: 'A+', caps: [], warnings: [] });
  });

  it('gives F when SSLv3 is the best protocol', () => {
    const g = grade(
      variant((o) => {
        o.protocols.ssl3 = accepted('ssl3', RSA_AES128_CBC);
        o.protocols['tls1.2'] = rejected;
        o.protocols['tls1.3'] = rejected;
        o.suites.aead = { kind: 'rejected' };
      }),
    );
    expect(g.protocolScore).toBe(80);
    expect(g.grade).toBe('F');
    expect(capWith(g, 'SSLv3 est la version la plus récente')).toBe('F');
    expect(capWith(g, 'suite préférée en SSLv3 TLS_RSA_WITH_AES_128_CBC_SHA')).toBe('B');
  });

  it('gives F when SSLv2 is accepted, and scores SSLv2 at 0 %', () => {
    const g = grade(
      variant((o) => {
        o.protocols.ssl2 = accepted('ssl2', SSL2_RC4_128);
      }),
    );
    expect(g.protocolScore).toBe(50); // (100 + 0) / 2
    expect(g.grade).toBe('F');
    expect(g.caps).toEqual([{ cap: 'F', reason: 'SSLv2 accepté' }]);
  });

  it('gives F for EXPORT suites and scores the exportable key exchange at 40 %', () => {
    const g = grade(
      variant((o) => {
        o.suites.export = family('tls1.2', RSA_EXPORT_RC4_40);
      }),
    );
    expect(g.keyExchangeScore).toBe(40);
    expect(g.cipherScore).toBe(60); // strongest 256 bits (100), weakest 40 bits (20)
    expect(g.grade).toBe('F');
    expect(capWith(g, 'suite EXPORT acceptée : TLS_RSA_EXPORT_WITH_RC4_40_MD5')).toBe('F');
    expect(capWith(g, 'moins de 112 bits')).toBe('F');
  });

  it('gives F for NULL suites, and a score of 0 when anonymous key exchange is accepted', () => {
    const nullSuite = grade(
      variant((o) => {
        o.suites.null = family('tls1.2', RSA_NULL_MD5);
      }),
    );
    expect(nullSuite.cipherScore).toBe(50); // (100 + 0) / 2
    expect(nullSuite.grade).toBe('F');
    expect(capWith(nullSuite, 'sans chiffrement (NULL)')).toBe('F');

    const anon = grade(
      variant((o) => {
        o.suites.anon = family('tls1.2', DH_ANON_AES128, 2048);
      }),
    );
    expect(anon.keyExchangeScore).toBe(0);
    expect(anon.score).toBe(0); // a category at zero sets the score to zero
    expect(anon.grade).toBe('F');
  });

  it('gives T for an expired certificate and keeps the letter it would have in a warning', () => {
    const g = grade(
      variant((_o, c) => {
        c.chain[0] = cert({ notAfter: '2026-03-01T00:00:00.000Z' });
      }),
    );
    expect(g.grade).toBe('T');
    expect(g.caps).toEqual([{ cap: 'T', reason: 'certificat expiré le 2026-03-01 (CN=www.exemple.fr)' }]);
    expect(g.warnings[0]).toMatch(/^T \(sinon A\)/);
  });

  it('gives T for a self-signed certificate; the letter underneath carries the other caps', () => {
    const g = grade(
      variant((o, c) => {
        o.protocols['tls1.0'] = accepted('tls1.0', ECDHE_AES128_CBC);
        c.chain = [cert({ selfIssued: true, issuer: 'CN=www.exemple.fr' })];
        c.trust = { status: 'self-signed', detail: 'autosigné' };
      }),
    );
    expect(g.grade).toBe('T');
    expect(capWith(g, 'certificat autosigné')).toBe('T');
    expect(g.warnings[0]).toMatch(/^T \(sinon B\)/);
  });

  it('words its caps and warnings in English with lang en, in French by default', () => {
    const obs = variant((o, c) => {
      o.protocols['tls1.0'] = accepted('tls1.0', ECDHE_AES128_CBC);
      c.chain = [cert({ selfIssued: true, issuer: 'CN=www.exemple.fr' })];
      c.trust = { status: 'self-signed', detail: 'self-signed' };
    });
    const en = grade(obs, { lang: 'en' });
    expect(en.caps.map((c) => c.reason)).toEqual([
      'TLS 1.0 accepted (obsolete, RFC 8996)',
      'self-signed certificate (CN=www.exemple.fr)',
    ]);
    expect(en.warnings[0]).toBe('T (otherwise B): grade if the certificate were trusted');
    expect(JSON.stringify(en)).not.toMatch(/[éèàù’«»]|sinon|accepté/);
    const fr = grade(obs);
    expect(fr.caps.map((c) => c.reason)).toContain('TLS 1.0 accepté (obsolète, RFC 8996)');
    expect(fr.warnings[0]).toBe('T (sinon B) : note si le certificat était de confiance');
  });

  it('gives T for an untrusted chain, a not-yet-valid certificate and a SHA-1 intermediate', () => {
    const untrusted = grade(
      variant((_o, c) => {
        c.trust = { status: 'untrusted', detail: 'autorité inconnue' };
      }),
    );
    expect(untrusted.grade).toBe('T');
    const early = grade(
      variant((_o, c) => {
        c.chain[0] = cert({ notBefore: '2026-07-01T00:00:00.000Z' });
      }),
    );
    expect(capWith(early, 'pas encore valide')).toBe('T');
    const sha1 = grade(
      variant((_o, c) => {
        c.chain[1] = { ...INTERMEDIATE, signatureHash: 'sha1', signatureAlgorithm: 'sha1WithRSAEncryption' };
      }),
    );
    expect(sha1.grade).toBe('T');
    expect(capWith(sha1, 'signature SHA-1 du certificat CN=Autorité intermédiaire')).toBe('T');
  });

  it('ignores the dates and signature of a self-issued root sent by the server', () => {
    const g = grade(
      variant((_o, c) => {
        c.chain.push(
          cert({
            subject: 'CN=Racine',
            issuer: 'CN=Racine',
            selfIssued: true,
            isCa: true,
            signatureHash: 'sha1',
            notAfter: '2020-01-01T00:00:00.000Z',
          }),
        );
      }),
    );
    expect(g.grade).toBe('A');
  });

  it('gives F for an MD5-signed certificate', () => {
    const g = grade(
      variant((_o, c) => {
        c.chain[0] = cert({ signatureHash: 'md5', signatureAlgorithm: 'md5WithRSAEncryption' });
      }),
    );
    expect(g.grade).toBe('F');
    expect(capWith(g, 'signature MD5')).toBe('F');
  });

  it('gives M for a name mismatch, with the letter underneath', () => {
    const g = grade(
      variant((_o, c) => {
        c.nameMatches = false;
        c.checkedName = 'intranet.exemple.fr';
      }),
    );
    expect(g.grade).toBe('M');
    expect(g.caps).toEqual([
      { cap: 'M', reason: 'le nom intranet.exemple.fr ne figure pas dans le certificat' },
    ]);
    expect(g.warnings[0]).toMatch(/^M \(sinon A\)/);
  });

  it('prefers T over M when both apply', () => {
    const g = grade(
      variant((_o, c) => {
        c.nameMatches = false;
        c.trust = { status: 'untrusted', detail: 'autorité inconnue' };
      }),
    );
    expect(g.grade).toBe('T');
    expect(capsOf(g).sort()).toEqual(['M', 'T']);
  });

  it('caps an RSA 1024 key at B and lowers the key exchange score', () => {
    const g = grade(
      variant((_o, c) => {
        c.chain[0] = cert({ keyBits: 1024 });
      }),
    );
    expect(g.keyExchangeScore).toBe(80);
    expect(g.score).toBe(90);
    expect(g.score).toBeLessThan(grade(modern()).score);
    expect(g.grade).toBe('B');
    expect(capWith(g, 'inférieure à 2048 bits : RSA 1024 bits')).toBe('B');
  });

  it('gives F for a key under 1024 bits', () => {
    const g = grade(
      variant((_o, c) => {
        c.chain[0] = cert({ keyBits: 512 });
      }),
    );
    expect(g.keyExchangeScore).toBe(40);
    expect(g.grade).toBe('F');
  });

  it('scores EC keys by their RSA-equivalent size', () => {
    expect(rsaEquivalentBits({ keyType: 'ec', keyBits: 256 })).toBe(3072);
    expect(rsaEquivalentBits({ keyType: 'ec', keyBits: 384 })).toBe(7680);
    expect(rsaEquivalentBits({ keyType: 'ed25519', keyBits: 256 })).toBe(3072);
    expect(rsaEquivalentBits({ keyType: 'ec', keyBits: 192 })).toBe(1024);
    expect(rsaEquivalentBits({ keyType: 'unknown', keyBits: 0 })).toBeUndefined();
    const p384 = grade(
      variant((_o, c) => {
        c.chain[0] = cert({ keyType: 'ec', keyBits: 384, curve: 'secp384r1' });
      }),
    );
    expect(p384).toMatchObject({ keyExchangeScore: 100, grade: 'A' });
    const p192 = grade(
      variant((_o, c) => {
        c.chain[0] = cert({ keyType: 'ec', keyBits: 192, curve: 'prime192v1' });
      }),
    );
    expect(p192.grade).toBe('B');
  });

  it('caps a 1024-bit DH group at B: the weakest of key and group wins', () => {
    const g = grade(
      variant((o) => {
        o.suites.dhe = family('tls1.2', DHE_AES128_GCM, 1024);
      }),
    );
    expect(g.keyExchangeScore).toBe(80);
    expect(g.grade).toBe('B');
    expect(capWith(g, 'Diffie-Hellman inférieur à 2048 bits : 1024 bits')).toBe('B');
    const strong = grade(
      variant((o, c) => {
        c.chain[0] = cert({ keyBits: 4096 });
        o.suites.dhe = family('tls1.2', DHE_AES128_GCM, 2048);
      }),
    );
    expect(strong.keyExchangeScore).toBe(90);
  });

  it('caps no forward secrecy and an incomplete chain at B', () => {
    const staticRsa = grade(
      variant((o) => {
        o.suites['static-rsa'] = family('tls1.2', RSA_AES128_CBC);
      }),
    );
    expect(staticRsa.grade).toBe('B');
    expect(capWith(staticRsa, 'pas de confidentialité persistante')).toBe('B');
    const incomplete = grade(
      variant((_o, c) => {
        c.chain = [cert()];
        c.missingIssuer = 'CN=Autorité intermédiaire';
      }),
    );
    expect(incomplete.grade).toBe('B');
    expect(capWith(incomplete, 'chaîne incomplète')).toBe('B');
  });

  it('gives no letter when the certificate could not be read: « not-evaluated », with the reason', () => {
    // Trust, name, expiry and key decide T, M and F caps: without them a letter would flatter.
    const g = gradeTls(
      variant((o) => {
        o.certificate = { status: 'error', reason: 'handshake-failed', detail: 'excessive message size' };
      }),
      { now: NOW, hstsMaxAge: ONE_YEAR },
    );
    expect(g).toEqual({
      grade: 'not-evaluated',
      reason: 'handshake-failed',
      detail: 'certificat : excessive message size',
      scoringVersion: TLS_SCORING_VERSION,
    });
    expect(isGraded(g)).toBe(false);
    const empty = gradeTls(
      variant((_o, c) => {
        c.chain = [];
      }),
      { now: NOW },
    );
    expect(empty.grade).toBe('not-evaluated');
  });

  it('never improves a grade for lack of data: a failed probe is a warning, and keeps its caps', () => {
    const g = grade(
      variant((o) => {
        o.protocols['tls1.0'] = accepted('tls1.0', ECDHE_AES128_CBC);
        o.protocols['tls1.3'] = { kind: 'error', reason: 'timeout', detail: 'délai' };
        o.suites.rc4 = { kind: 'error', reason: 'reset', detail: 'connexion réinitialisée' };
      }),
      { hstsMaxAge: ONE_YEAR },
    );
    expect(g.grade).toBe('B');
    expect(g.warnings).toEqual([
      'TLS 1.3 non évalué (timeout : délai)',
      'suites RC4 non évaluées (reset : connexion réinitialisée)',
    ]);
    const onlyUnknown = grade(
      variant((o) => {
        o.suites.rc4 = { kind: 'error', reason: 'reset', detail: 'connexion réinitialisée' };
      }),
      { hstsMaxAge: ONE_YEAR },
    );
    expect(onlyUnknown.grade).toBe('A-');
  });

  it('gives F with a reason when no protocol was negotiated', () => {
    const g = grade(
      variant((o) => {
        o.protocols['tls1.2'] = rejected;
        o.protocols['tls1.3'] = rejected;
      }),
    );
    expect(g).toMatchObject({ grade: 'F', score: 0, caps: [{ cap: 'F' }] });
  });

  it('translates scores to letters with the guide’s thresholds', () => {
    expect([80, 79.9, 65, 50, 35, 20, 19.9].map(tlsLetter)).toEqual(['A', 'B', 'B', 'C', 'D', 'E', 'F']);
  });
});
