import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTlsProfiles, selectTlsProfile } from '../../src/config/index.js';
import type { TlsProfile } from '../../src/domain/index.js';
import { planEndpoints, runScan, type TlsEnumerationMode } from '../../src/engine/index.js';
import { tlsDetailRows } from '../../src/report/tls-detail.js';
import { opensslServer } from '../helpers/openssl-cli.js';

/*
 * scan.tlsEnumeration against an OpenSSL server: `off` enumerates nothing and the profile is not
 * evaluated; `profiles` enumerates fully where a profile is checked and sends one post-quantum hello
 * elsewhere; `full` enumerates every endpoint.
 */

const anssi = selectTlsProfile(
  loadTlsProfiles(fileURLToPath(new URL('../../checks/profiles/', import.meta.url))).map((l) => l.profile),
  'anssi',
) as TlsProfile;

let dir: string;
let keyFile: string;
let certFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-enum-mode-'));
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

/** Scans an OpenSSL server (two TLS 1.2 suites, X25519 and P-256) started for the test. */
async function scan(mode: TlsEnumerationMode | undefined, profiles: readonly TlsProfile[]) {
  const port = await opensslServer([
    '-cert',
    certFile,
    '-key',
    keyFile,
    '-cipher',
    'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384',
    '-groups',
    'X25519:P-256',
  ]);
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
    tlsProfiles: () => profiles,
    ...(mode ? { tlsEnumeration: mode } : {}),
  });
  return r.endpoints[0]?.tls;
}

describe('scan.tlsEnumeration', () => {
  it('off: no enumeration, and the profile is not evaluated rather than conformant', async () => {
    const tls = await scan('off', [anssi]);
    expect(tls?.enumeration).toBeUndefined();
    expect(tls?.profiles?.['anssi']?.conformant).toBeNull();
    expect(tls?.profiles?.['anssi']?.notEvaluated).toEqual(expect.arrayContaining(['suites', 'groups']));
  }, 60_000);

  it('profiles (the default): one post-quantum hello on an endpoint without profile, suites not observed', async () => {
    const tls = await scan(undefined, []);
    expect(tls?.enumeration).toMatchObject({ handshakes: 1, versions: {}, groups: null, postQuantum: false });
    expect(tls?.postQuantum).toBe(false);
    const suites = tlsDetailRows(tls!, 'en').find((r) => r.label === 'suites');
    expect(suites?.value).toMatch(/^not observed/);
  }, 60_000);

  it('profiles: the full enumeration where a profile is checked', async () => {
    const tls = await scan('profiles', [anssi]);
    expect(new Set(tls?.enumeration?.versions['tls1.2']?.suites)).toEqual(
      new Set(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384']),
    );
    expect(tls?.enumeration?.groups).toEqual(expect.arrayContaining(['x25519', 'secp256r1']));
    expect(tls?.profiles?.['anssi']?.notEvaluated).not.toContain('suites');
  }, 60_000);

  it('full: every endpoint enumerated, profile or not', async () => {
    const tls = await scan('full', []);
    expect(tls?.enumeration?.versions['tls1.3']?.suites.length).toBeGreaterThan(0);
    expect(tls?.enumeration?.groups).toEqual(expect.arrayContaining(['x25519', 'secp256r1']));
  }, 60_000);
});
