import { describe, expect, it } from 'vitest';
import { tlsChecks } from '../../../src/engine/checks/tls-checks.js';
import type { CheckContext, CheckVerdict } from '../../../src/engine/index.js';
import type { CertFacts, HelloResult, TlsObservation, TlsVersionId } from '../../../src/domain/index.js';

const now = new Date('2026-11-28T12:00:00Z');
const ctx: CheckContext = { now, expiryDays: 30, endpoint: { host: 'www.exemple.fr', port: 443 } };
const accepted = (version: TlsVersionId): HelloResult => ({
  kind: 'accepted',
  version,
  suite: 0xc02f,
  suiteName: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
});
const rejected: HelloResult = { kind: 'rejected', detail: 'fatal alert protocol_version (70)' };

const leaf: CertFacts = {
  subject: 'CN=www.exemple.fr',
  issuer: 'CN=Exemple CA',
  serialNumber: '01',
  notBefore: '2026-10-01T00:00:00.000Z',
  notAfter: '2026-12-30T00:00:00.000Z',
  subjectAltNames: ['DNS:www.exemple.fr'],
  keyType: 'ec',
  keyBits: 256,
  signatureAlgorithm: 'ecdsa-with-SHA256',
  signatureHash: 'sha256',
  selfIssued: false,
  isCa: false,
  fingerprint256: 'AA',
};

function observation(over: Partial<TlsObservation> = {}): TlsObservation {
  return {
    protocols: {
      ssl2: rejected,
      ssl3: rejected,
      'tls1.0': rejected,
      'tls1.1': rejected,
      'tls1.2': accepted('tls1.2'),
      'tls1.3': accepted('tls1.3'),
    },
    suites: {
      null: { kind: 'rejected' },
      anon: { kind: 'rejected' },
      export: { kind: 'rejected' },
      rc4: { kind: 'rejected' },
      '3des': { kind: 'rejected' },
      'static-rsa': { kind: 'rejected' },
      aead: {
        kind: 'accepted',
        version: 'tls1.2',
        suite: 0xc02f,
        suiteName: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      },
      dhe: { kind: 'rejected' },
    },
    certificate: {
      status: 'observed',
      value: {
        chain: [leaf],
        checkedName: 'www.exemple.fr',
        nameMatches: true,
        trust: { status: 'trusted', anchor: 'CN=Root', detail: '' },
      },
    },
    ...over,
  };
}

const verdicts = (obs: TlsObservation, c: CheckContext = ctx): Record<string, CheckVerdict['status']> =>
  Object.fromEntries(tlsChecks.map((check) => [check.id, check.evaluate(obs, c).status]));

describe('TLS checks', () => {
  it('pass on a modern server', () => {
    expect(Object.values(verdicts(observation())).every((s) => s === 'pass')).toBe(true);
  });

  it('never turn "could not tell" into a pass', () => {
    const err: HelloResult = { kind: 'error', reason: 'timeout', detail: 'no answer' };
    const v = verdicts(
      observation({
        protocols: {
          ssl2: err,
          ssl3: err,
          'tls1.0': err,
          'tls1.1': rejected,
          'tls1.2': accepted('tls1.2'),
          'tls1.3': err,
        },
        certificate: { status: 'error', reason: 'handshake-failed', detail: 'alert 40' },
      }),
    );
    expect(v['tls.protocol.sslv2']).toBe('error');
    expect(v['tls.protocol.tls10']).toBe('error');
    expect(v['tls.protocol.no-tls13']).toBe('error');
    expect(v['tls.protocol.tls11']).toBe('pass');
    for (const id of [
      'tls.cert.expired',
      'tls.cert.untrusted',
      'tls.cert.hostname-mismatch',
      'tls.cert.weak-key',
    ])
      expect(v[id]).toBe('error');
  });

  it('read the negotiated version: a 1.1-capped hello answered with 1.0 is not TLS 1.1', () => {
    const v = verdicts(
      observation({
        protocols: { ...observation().protocols, 'tls1.0': accepted('tls1.0'), 'tls1.1': accepted('tls1.0') },
      }),
    );
    expect(v['tls.protocol.tls10']).toBe('fail');
    expect(v['tls.protocol.tls11']).toBe('pass');
  });

  it('apply the configured expiry threshold (31.5 days left)', () => {
    expect(verdicts(observation(), { ...ctx, expiryDays: 30 })['tls.cert.expiring']).toBe('pass');
    expect(verdicts(observation(), { ...ctx, expiryDays: 45 })['tls.cert.expiring']).toBe('fail');
  });

  it('report the expiring threshold only inside it, and expired past notAfter', () => {
    const early = { ...ctx, now: new Date('2026-11-01T00:00:00Z') };
    expect(verdicts(observation(), early)['tls.cert.expiring']).toBe('pass');
    const late = { ...ctx, now: new Date('2026-12-31T00:00:00Z') };
    const v = verdicts(observation(), late);
    expect(v['tls.cert.expired']).toBe('fail');
    expect(v['tls.cert.expiring']).toBe('pass');
  });

  it('flag CBC-only only when neither TLS 1.3 nor an AEAD suite is available', () => {
    const noAead = observation({ suites: { ...observation().suites, aead: { kind: 'rejected' } } });
    expect(verdicts(noAead)['tls.cipher.cbc']).toBe('pass'); // TLS 1.3 still gives AEAD
    const noAeadNo13 = { ...noAead, protocols: { ...noAead.protocols, 'tls1.3': rejected } };
    expect(verdicts(noAeadNo13)['tls.cipher.cbc']).toBe('fail');
  });

  it('ignore the self-signature of a root sent in the chain, not of the leaf', () => {
    const root: CertFacts = {
      ...leaf,
      subject: 'CN=Root',
      issuer: 'CN=Root',
      selfIssued: true,
      isCa: true,
      signatureHash: 'sha1',
      signatureAlgorithm: 'sha1WithRSAEncryption',
    };
    const withRoot = observation({
      certificate: {
        status: 'observed',
        value: {
          chain: [leaf, root],
          checkedName: 'www.exemple.fr',
          nameMatches: true,
          trust: { status: 'trusted', detail: '' },
        },
      },
    });
    expect(verdicts(withRoot)['tls.cert.weak-signature']).toBe('pass');
    const sha1Leaf = observation({
      certificate: {
        status: 'observed',
        value: {
          chain: [{ ...leaf, signatureHash: 'sha1' }],
          checkedName: 'www.exemple.fr',
          nameMatches: true,
          trust: { status: 'trusted', detail: '' },
        },
      },
    });
    expect(verdicts(sha1Leaf)['tls.cert.weak-signature']).toBe('fail');
  });

  it('report a DHE suite whose group size was not read as an error, not a pass', () => {
    const dhe = observation({
      suites: {
        ...observation().suites,
        dhe: {
          kind: 'accepted',
          version: 'tls1.2',
          suite: 0x009e,
          suiteName: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
        },
      },
    });
    expect(verdicts(dhe)['tls.kex.weak-dh']).toBe('error');
  });
});
