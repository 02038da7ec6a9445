import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ScanCommand from '../../src/commands/scan.js';
import {
  carelessSite,
  pemChain,
  plainHttpSite,
  startFakeService,
  wellConfiguredSite,
} from '../../src/demo/index.js';
import type { ScanResult } from '../../src/domain/index.js';
import { modifiersOf } from '../helpers/grade-modifiers.js';
import { runCommand } from '../helpers/run-command.js';
import { createTestPki, TEST_HOST, type TestPki } from '../helpers/test-pki.js';

// Each scenario gets its own loopback address, so the catalogue's real ports (6379, 3306, 8443 …)
// can be used without colliding with anything else on the machine.
const WEB = '127.66.0.1';
const DB = '127.66.0.2';
const CLEAN = '127.66.0.3';

let pki: TestPki;
let dir: string;
const closers: (() => Promise<void>)[] = [];

async function listen(server: http.Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  pki = await createTestPki();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-web-'));
  const cert = await pki.leaf();
  const tlsOptions = {
    key: cert.keyPem,
    cert: pemChain(cert, pki.intermediate),
    // Node's default list still offers static-RSA suites: a clean server keeps to ECDHE + AEAD.
    ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305',
  };
  // The careless site also accepts a static-RSA suite: a TLS finding for the --only test.
  await listen(
    https.createServer({ ...tlsOptions, ciphers: `${tlsOptions.ciphers}:AES128-GCM-SHA256` }, carelessSite),
    WEB,
    8443,
  );
  await listen(http.createServer(plainHttpSite), WEB, 8080);
  await listen(https.createServer(tlsOptions, wellConfiguredSite), CLEAN, 8443);
  for (const [kind, port] of [
    ['redis', 6379],
    ['mysql', 3306],
  ] as const) {
    const s = await startFakeService(kind, { host: DB, port });
    closers.push(() => s.close());
  }
  fs.writeFileSync(path.join(dir, 'racine.pem'), pki.root.certPem);
});
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  fs.rmSync(dir, { recursive: true, force: true });
});

function inventory(name: string, assets: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    `organisation: { name: Test }\ntrust: { caFiles: [racine.pem] }\nscan: { timeoutMs: 1500 }\nassets:\n${assets}`,
  );
  return file;
}

async function scan(file: string, extra: string[] = []): Promise<ScanResult> {
  const out = await runCommand(ScanCommand, ['-i', file, '--no-save', '--json', ...extra], {
    VIGIE_DATA_DIR: path.join(dir, 'data'),
  });
  expect(out.exitCode, out.stderr).toBe(0);
  return out.json<ScanResult>();
}

const at = (r: ScanResult, port: number) =>
  r.findings
    .filter((f) => f.port === port)
    .map((f) => f.checkId)
    .sort();

describe('vigie scan over HTTP and exposed services', () => {
  it('finds header flaws, the missing redirect and the shipped custom checks on a careless site, and grades it', async () => {
    const r = await scan(
      inventory(
        'web.yml',
        `  - { id: site, name: Site, owner: DSI, criticality: high, hosts: [{ name: ${TEST_HOST}, address: ${WEB} }], ports: [8443, 8080] }\n`,
      ),
    );
    expect(at(r, 8443)).toEqual(
      expect.arrayContaining([
        'custom.http.apache-server-status',
        'custom.http.git-head',
        'http.cookie.insecure',
        'http.cookie.no-httponly',
        'http.cors.wildcard-credentials',
        'http.csp.missing',
        'http.disclosure.powered-by',
        'http.disclosure.server-version',
        'http.frame.missing',
        'http.hsts.missing',
        'http.securitytxt.missing',
        'http.xcto.missing',
      ]),
    );
    expect(at(r, 8080)).toEqual(['http.disclosure.server-version', 'http.no-https-redirect']);
    const page = r.endpoints.find((e) => e.port === 8443);
    const grade = page?.http?.grade;
    expect(grade).toMatchObject({
      grade: 'F',
      score: 0,
      scoringVersion: 'observatory-6+vigie-3',
    });
    expect(
      grade && 'modifiers' in grade ? grade.modifiers.map((m) => [m.test, m.result, m.modifier]) : [],
    ).toEqual([
      ['content-security-policy', 'csp-not-implemented-but-reporting-enabled', -25],
      ['cookies', 'cookies-session-without-secure-flag', -40],
      ['cross-origin-embedder-policy', 'coep-not-implemented', 0],
      ['cross-origin-opener-policy', 'coop-header-invalid', -5],
      [
        'cross-origin-resource-sharing',
        'cross-origin-resource-sharing-implemented-with-universal-access',
        -50,
      ],
      ['redirection', 'not-evaluated', 0],
      ['referrer-policy', 'referrer-policy-not-implemented', 0],
      ['strict-transport-security', 'hsts-not-implemented', -20],
      ['subresource-integrity', 'sri-not-implemented-but-external-scripts-loaded-securely', -5],
      ['x-content-type-options', 'x-content-type-options-not-implemented', -5],
      ['x-frame-options', 'x-frame-options-not-implemented', -20],
      ['cross-origin-resource-policy', 'corp-not-implemented', 0],
    ]);
    expect(r.run.scoringVersion).toBe('2026.12-2');
    // Cookie values never reach a report.
    expect(JSON.stringify(r.findings)).not.toContain('0123456789abcdef');
  });

  it('stays silent on a well-configured site, and writes the grade’s notes in the language asked', async () => {
    const r = await scan(
      inventory(
        'clean.yml',
        `  - { id: ok, name: OK, owner: DSI, criticality: high, hosts: [{ name: ${TEST_HOST}, address: ${CLEAN} }], ports: [8443] }\n`,
      ),
      ['--lang', 'en'],
    );
    expect(r.findings).toEqual([]);
    expect(r.endpoints[0]?.http?.grade?.grade).toBe('A+');
    expect(modifiersOf(r.endpoints[0]?.http?.grade).find((m) => m.test === 'x-frame-options')?.note).toBe(
      'framing prevented by CSP frame-ancestors',
    );
  });

  it('scans a host without ports on the catalogue ports: names what answers, hides what is closed', async () => {
    const r = await scan(
      inventory(
        'db.yml',
        `  - { id: db, name: Base, owner: DBA, criticality: critical, hosts: [{ name: base.vigie.test, address: ${DB} }] }\n`,
      ),
    );
    expect(at(r, 6379)).toEqual(['service.exposed.redis', 'service.redis.unauthenticated']);
    expect(at(r, 3306)).toEqual(['service.banner.version', 'service.exposed.mysql']);
    expect(r.findings.find((f) => f.checkId === 'service.redis.unauthenticated')?.severity).toBe('critical');
    // 443, 80, 22, 5432 … are closed: observed, not errors, and not findings.
    const closed = r.endpoints.filter((e) => e.closed);
    expect(closed.length).toBeGreaterThan(15);
    expect(closed.every((e) => e.status === 'assessed')).toBe(true);
    expect(r.findings.filter((f) => f.checkId.startsWith('scan.'))).toEqual([]);
  });

  it('turns an exposure declared under expose: into an informational note', async () => {
    const r = await scan(
      inventory(
        'expose.yml',
        `  - { id: db, name: Base, owner: DBA, criticality: critical, hosts: [{ name: base.vigie.test, address: ${DB} }], ports: [6379], expose: [redis] }\n`,
      ),
    );
    expect(r.findings.find((f) => f.checkId === 'service.exposed.redis')?.severity).toBe('info');
    // Declaring the exposure does not excuse the missing authentication.
    expect(r.findings.find((f) => f.checkId === 'service.redis.unauthenticated')?.severity).toBe('critical');
  });

  it('runs only the categories asked with --only', async () => {
    const file = inventory(
      'only.yml',
      `  - { id: site, name: Site, owner: DSI, criticality: high, hosts: [{ name: ${TEST_HOST}, address: ${WEB} }], ports: [8443, 6379] }\n`,
    );
    const r = await scan(file, ['--only', 'tls']);
    // The static-RSA suite the careless site accepts, and nothing of its many HTTP flaws.
    expect(r.findings.map((f) => [f.checkId, f.port, f.category])).toEqual([
      ['tls.cipher.static-rsa', 8443, 'tls'],
    ]);
    expect(r.endpoints.map((e) => e.port)).toEqual([8443]);
    expect(r.endpoints.find((e) => e.port === 8443)?.http).toBeUndefined();
  });
});
