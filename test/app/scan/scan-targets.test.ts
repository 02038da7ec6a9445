import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { scanTargets, type ScanRequest } from '../../../src/app/scan/index.js';
import { startLegacyTlsServer, type LegacyTlsServerOptions } from '../../../src/demo/index.js';
import { fixedClock, systemClock, type Endpoint, type ScanResult } from '../../../src/domain/index.js';
import { openStore } from '../../../src/store/index.js';
import { createTestPki, daysFromNow, TEST_HOST, type TestPki } from '../../helpers/test-pki.js';
import { startTlsServer, type LoopbackServer } from '../../helpers/tls-server.js';

let pki: TestPki;
let dataDir: string;

beforeAll(async () => {
  pki = await createTestPki();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-scan-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const endpointOf = (s: { port: number }, host = TEST_HOST): Endpoint => ({
  host,
  address: '127.0.0.1',
  port: s.port,
});

async function scan(
  endpoints: Endpoint[],
  extra: Partial<ScanRequest> & { now?: Date } = {},
): Promise<ScanResult> {
  const { now, ...rest } = extra;
  return scanTargets(
    { clock: now ? fixedClock(now) : systemClock, lang: 'fr', dataDir },
    {
      targets: [],
      endpoints,
      inventoryFile: path.join(dataDir, 'absent.yml'),
      caFiles: [],
      trustAnchors: [pki.root.cert],
      categories: ['tls'],
      timeoutMs: 800,
      save: false,
      ...rest,
    },
  );
}

async function served(opts: Parameters<typeof startTlsServer>[0]): Promise<LoopbackServer> {
  const s = await startTlsServer(opts);
  onTestFinished(() => s.close());
  return s;
}

async function legacy(opts: LegacyTlsServerOptions) {
  const s = await startLegacyTlsServer(opts);
  onTestFinished(() => s.close());
  return s;
}

const ids = (r: ScanResult) => r.findings.map((f) => f.checkId).sort();

describe('scanTargets over real loopback TLS servers', () => {
  it('reports nothing on a clean server, and every check is decided', async () => {
    const s = await served({
      cert: await pki.leaf(),
      chain: [pki.intermediate],
      options: { maxVersion: 'TLSv1.3' },
    });
    const r = await scan([endpointOf(s)]);
    expect(ids(r)).toEqual([]);
    const checks = r.endpoints[0]?.checks ?? {};
    expect(r.endpoints[0]?.status).toBe('assessed');
    for (const id of [
      'tls.protocol.tls10',
      'tls.cert.expired',
      'tls.cert.untrusted',
      'tls.cipher.rc4',
      'tls.cipher.cbc',
    ]) {
      expect(checks[id], id).toBe('pass');
    }
    expect(r.endpoints[0]?.tls?.protocols).toEqual(['tls1.2', 'tls1.3']);
  });

  it.each([
    ['tls.cert.expired', { notBefore: daysFromNow(-100), notAfter: daysFromNow(-3) }],
    ['tls.cert.expiring', { notAfter: daysFromNow(9) }],
    ['tls.cert.not-yet-valid', { notBefore: daysFromNow(5), notAfter: daysFromNow(60) }],
    ['tls.cert.weak-key', { key: { type: 'rsa', bits: 1024 } as const }],
    ['tls.cert.weak-signature', { signatureHash: 'SHA-1' as const }],
    ['tls.cert.long-validity', { notBefore: daysFromNow(-1), notAfter: daysFromNow(3 * 365) }],
    ['tls.cert.hostname-mismatch', { commonName: 'autre.vigie.test' }],
  ])('raises %s on its flaw and nothing else', async (checkId, extra) => {
    const s = await served({ cert: await pki.leaf(extra), chain: [pki.intermediate] });
    const r = await scan([endpointOf(s)]);
    expect(ids(r)).toEqual([checkId]);
    expect(r.findings[0]?.evidence).not.toMatch(/\{[a-z]+\}/i);
  });

  it('tells self-signed, untrusted and incomplete chains apart', async () => {
    const { issueLeaf, createCa } = await import('../../../src/demo/index.js');
    const selfSigned = await served({ cert: await issueLeaf({ commonName: TEST_HOST }) });
    const rogue = await createCa({ commonName: 'Rogue Root' });
    const untrusted = await served({ cert: await pki.leaf({ issuer: rogue }), chain: [rogue] });
    const incomplete = await served({ cert: await pki.leaf() });
    const r = await scan([endpointOf(selfSigned, TEST_HOST), endpointOf(untrusted), endpointOf(incomplete)]);
    const byPort = (p: number) =>
      r.findings
        .filter((f) => f.port === p)
        .map((f) => f.checkId)
        .sort();
    expect(byPort(selfSigned.port)).toEqual(['tls.cert.self-signed']);
    expect(byPort(untrusted.port)).toEqual(['tls.cert.untrusted']);
    expect(byPort(incomplete.port)).toContain('tls.cert.incomplete-chain');
    expect(r.findings.find((f) => f.checkId === 'tls.cert.incomplete-chain')?.evidence).toContain(
      'Test Intermediate',
    );
  });

  it('trusts an internal root only when it is given (--ca)', async () => {
    const s = await served({ cert: await pki.leaf(), chain: [pki.intermediate] });
    const without = await scan([endpointOf(s)], { trustAnchors: [] });
    expect(ids(without)).toEqual(['tls.cert.untrusted']);
    const caFile = path.join(dataDir, 'root.pem');
    fs.writeFileSync(caFile, pki.root.certPem);
    const withCa = await scan([endpointOf(s)], { trustAnchors: [], caFiles: [caFile] });
    expect(ids(withCa)).toEqual([]);
  });

  it('decides expiry against the injected clock', async () => {
    const s = await served({
      cert: await pki.leaf({ notAfter: daysFromNow(60) }),
      chain: [pki.intermediate],
    });
    expect(ids(await scan([endpointOf(s)]))).toEqual([]);
    expect(ids(await scan([endpointOf(s)], { now: daysFromNow(45) }))).toEqual(['tls.cert.expiring']);
    expect(ids(await scan([endpointOf(s)], { now: daysFromNow(61) }))).toEqual(['tls.cert.expired']);
  });

  it('sees TLS 1.0/1.1, CBC-only and missing TLS 1.3 on a real OpenSSL server', async () => {
    const old = await served({
      cert: await pki.leaf(),
      chain: [pki.intermediate],
      options: {
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.2',
        ciphers: 'ECDHE-RSA-AES128-SHA:AES128-SHA:@SECLEVEL=0',
      },
    });
    const r = await scan([endpointOf(old)]);
    expect(ids(r)).toEqual(
      [
        'tls.cipher.cbc',
        'tls.cipher.static-rsa',
        'tls.protocol.no-tls13',
        'tls.protocol.tls10',
        'tls.protocol.tls11',
      ].sort(),
    );
    const tls10 = r.findings.find((f) => f.checkId === 'tls.protocol.tls10');
    expect(tls10?.details).toMatchObject({ version: 'TLS 1.0' });
    expect(tls10?.evidence).toContain('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA');
  });

  it('detects what Node cannot speak with a hand-built ClientHello (SSLv3, RC4, 3DES, EXPORT, NULL, anon, weak DH)', async () => {
    const cert = await pki.leaf();
    const s = await legacy({
      versions: ['ssl3', 'tls1.0'],
      suites: [0x0005, 0x000a, 0x0003, 0x0002, 0x0018, 0x0016],
      certificates: [cert.der, pki.intermediate.der],
      dhPrimeBits: 1024,
    });
    const r = await scan([endpointOf(s)]);
    expect(ids(r)).toEqual(
      [
        'tls.cipher.3des',
        'tls.cipher.anon',
        'tls.cipher.cbc',
        'tls.cipher.export',
        'tls.cipher.null',
        'tls.cipher.rc4',
        'tls.cipher.static-rsa',
        'tls.kex.weak-dh',
        'tls.protocol.no-tls12',
        'tls.protocol.no-tls13',
        'tls.protocol.sslv3',
        'tls.protocol.tls10',
      ].sort(),
    );
    expect(r.findings.find((f) => f.checkId === 'tls.kex.weak-dh')?.details).toMatchObject({ bits: 1024 });
    // The certificate was read from the raw Certificate message, Node having failed the handshake.
    expect(r.endpoints[0]?.tls?.certificate?.subject).toContain(TEST_HOST);
  });

  it('detects SSLv2 from its own hello format', async () => {
    const cert = await pki.leaf();
    const s = await legacy({
      versions: ['ssl2', 'tls1.2'],
      suites: [0xc02f, 0x010080],
      certificates: [cert.der, pki.intermediate.der],
    });
    const r = await scan([endpointOf(s)]);
    expect(ids(r)).toContain('tls.protocol.sslv2');
    expect(ids(r)).not.toContain('tls.protocol.sslv3');
  });

  it('reads the negotiated version, not "a handshake succeeded": 1.0 and 1.2 without 1.1', async () => {
    const cert = await pki.leaf();
    const s = await legacy({
      versions: ['tls1.0', 'tls1.2'],
      suites: [0xc02f, 0xc013],
      certificates: [cert.der, pki.intermediate.der],
    });
    const r = await scan([endpointOf(s)]);
    expect(ids(r)).toContain('tls.protocol.tls10');
    expect(ids(r)).not.toContain('tls.protocol.tls11');
    expect(r.endpoints[0]?.checks['tls.protocol.tls11']).toBe('pass');
  });
});

describe('hostile and absent endpoints', () => {
  it('ends each as scan.timeout or scan.error within the timeout, never a pass, and scans the rest', async () => {
    const behaviours = ['silent', 'garbage', 'flood', 'reset', 'http'] as const;
    const servers = await Promise.all(
      behaviours.map((behaviour) => legacy({ versions: ['tls1.2'], suites: [0xc02f], behaviour })),
    );
    const refused = await served({ cert: await pki.leaf() });
    await refused.close();
    const clean = await served({ cert: await pki.leaf(), chain: [pki.intermediate] });
    const started = Date.now();
    const r = await scan([...servers.map((s) => endpointOf(s)), endpointOf(refused), endpointOf(clean)], {
      timeoutMs: 500,
    });
    expect(Date.now() - started).toBeLessThan(6000);

    const status = (p: number) => r.endpoints.find((e) => e.port === p);
    expect(status(servers[0]!.port)).toMatchObject({ status: 'timeout', reason: 'timeout' });
    for (const s of servers.slice(1)) {
      const e = status(s.port);
      expect(e?.status, `port ${s.port}`).toBe('error');
      expect(Object.values(e?.checks ?? {}).filter((c) => c === 'pass')).toEqual([]);
    }
    expect(status(refused.port)).toMatchObject({ status: 'error', reason: 'refused' });
    expect(status(clean.port)?.status).toBe('assessed');
    const health = r.findings.filter((f) => f.checkId.startsWith('scan.'));
    expect(health).toHaveLength(behaviours.length + 1);
    expect(r.findings.filter((f) => !f.checkId.startsWith('scan.'))).toEqual([]);
  });
});

describe('history', () => {
  it('keeps firstSeen across runs, and a failed save leaves earlier runs intact', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-hist-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const s = await served({ cert: await pki.leaf({ signatureHash: 'SHA-1' }), chain: [pki.intermediate] });
    const ctx = (at: Date) => ({ clock: fixedClock(at), lang: 'fr' as const, dataDir: dir });
    const req = {
      targets: [],
      endpoints: [endpointOf(s)],
      inventoryFile: path.join(dir, 'x.yml'),
      caFiles: [],
      trustAnchors: [pki.root.cert],
      categories: ['tls' as const],
      timeoutMs: 800,
      save: true,
    };
    const [t1, t2, t3, t4] = [1, 2, 3, 4].map(
      (h) => new Date(Math.floor(Date.now() / 1000) * 1000 + h * 3_600_000),
    ) as [Date, Date, Date, Date];
    const first = await scanTargets(ctx(t1), req);
    const second = await scanTargets(ctx(t2), req);
    expect(first.findings.map((f) => f.checkId)).toEqual(['tls.cert.weak-signature']);
    expect(first.findings[0]?.firstSeen).toBe(t1.toISOString());
    expect(second.findings[0]).toMatchObject({ firstSeen: t1.toISOString(), lastSeen: t2.toISOString() });
    expect(second.findings[0]?.fingerprint).toBe(first.findings[0]?.fingerprint);

    const preview = await scanTargets(ctx(t3), { ...req, save: false });
    expect(preview.findings[0]).toMatchObject({ firstSeen: t1.toISOString(), lastSeen: t3.toISOString() });
    const store = openStore(dir);
    try {
      expect((await store.runs.list()).map((x) => x.id)).toEqual([second.run.id, first.run.id]);
    } finally {
      await store.close();
    }

    // The database is locked by another writer: the scan fails with a storage error (exit 4)
    // and the runs saved before are all still there.
    const blocker = new Database(path.join(dir, 'vigie.db'));
    blocker.exec('BEGIN EXCLUSIVE');
    try {
      await expect(scanTargets(ctx(t4), req)).rejects.toMatchObject({ name: 'StorageError', exitCode: 4 });
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    const after = openStore(dir);
    try {
      expect((await after.runs.list()).map((x) => x.id)).toEqual([second.run.id, first.run.id]);
      expect(await after.findings.listOpen()).toMatchObject([
        { checkId: 'tls.cert.weak-signature', lastSeen: t2.toISOString() },
      ]);
    } finally {
      await after.close();
    }
  });
});
