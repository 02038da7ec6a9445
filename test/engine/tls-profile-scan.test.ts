import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadTlsProfiles, selectTlsProfile } from '../../src/config/index.js';
import type { TlsProfile } from '../../src/domain/index.js';
import { planEndpoints, runScan } from '../../src/engine/index.js';
import { opensslServer } from '../helpers/openssl-cli.js';

/*
 * The whole path, scan to verdict, against OpenSSL servers configured to a profile's limits (one
 * inside, one a single suite outside), and against an endpoint whose TLS cannot be observed.
 */

const profiles = loadTlsProfiles(fileURLToPath(new URL('../../checks/profiles/', import.meta.url))).map(
  (l) => l.profile,
);
const pick = (ref: string): TlsProfile => {
  const p = selectTlsProfile(profiles, ref);
  if (!p) throw new Error(ref);
  return p;
};
const chosen = [pick('anssi'), pick('mozilla-intermediate@5.8')];

let dir: string;
let keyFile: string;
let certFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-profile-'));
  keyFile = join(dir, 'key.pem');
  certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-sha256',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-days',
      '90',
    ].concat(['-keyout', keyFile, '-out', certFile]),
    { stdio: 'ignore', timeout: 20_000 },
  );
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function scan(port: number) {
  const plan = planEndpoints([{ host: 'localhost', address: '127.0.0.1', port }], {
    categories: ['tls'],
    services: [],
    customChecks: [],
    adHoc: true,
  });
  const r = await runScan(plan, {
    timeoutMs: 5000,
    concurrency: 4,
    trustAnchors: [],
    now: () => new Date(),
    expiryDays: 30,
    tlsProfiles: () => chosen,
  });
  return r;
}

const INSIDE = 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305';

describe('TLS profiles on a scanned endpoint', () => {
  it('finds a server built to Mozilla intermediate 5.8 and ANSSI conformant, but for OCSP stapling', async () => {
    const port = await opensslServer([
      '-cert',
      certFile,
      '-key',
      keyFile,
      '-cipher',
      INSIDE,
      '-groups',
      'X25519:P-256',
    ]);
    const r = await scan(port);
    const tls = r.endpoints[0]?.tls;
    expect(tls?.profiles?.['anssi']).toMatchObject({ conformant: true, violations: [], notEvaluated: [] });
    expect(tls?.profiles?.['mozilla-intermediate']).toMatchObject({
      version: '5.8',
      conformant: false,
      violations: [{ rule: 'ocsp-stapling', observed: 'absente' }],
    });
    expect(tls?.postQuantum).toBe(false);
    expect(r.findings.filter((f) => f.checkId === 'tls.profile.nonconformant').map((f) => f.key)).toEqual([
      'mozilla-intermediate',
    ]);
  }, 60_000);

  it('reports one suite outside both profiles, with what was seen', async () => {
    const port = await opensslServer([
      '-cert',
      certFile,
      '-key',
      keyFile,
      '-cipher',
      `${INSIDE}:ECDHE-RSA-AES128-SHA`,
      '-groups',
      'X25519:P-256',
    ]);
    const r = await scan(port);
    const anssi = r.endpoints[0]?.tls?.profiles?.['anssi'];
    expect(anssi?.conformant).toBe(false);
    expect(anssi?.violations).toEqual([{ rule: 'suites', observed: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA' }]);
    const finding = r.findings.find((f) => f.checkId === 'tls.profile.nonconformant' && f.key === 'anssi');
    expect(finding?.params['violations']).toBe('suites hors profil : TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA');
  }, 60_000);

  it('never calls an endpoint whose TLS could not be observed conformant', async () => {
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const r = await scan((server.address() as net.AddressInfo).port);
    const e = r.endpoints[0];
    expect(e?.tls?.profiles?.['anssi']).toMatchObject({ conformant: null });
    expect(e?.tls?.profiles?.['anssi']?.notEvaluated).toContain('versions');
    expect(e?.checks['tls.profile.nonconformant']).not.toBe('pass');
    expect(r.findings.some((f) => f.checkId === 'tls.profile.nonconformant')).toBe(false);
  }, 30_000);
});
