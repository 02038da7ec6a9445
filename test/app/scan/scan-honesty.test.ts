import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import Ajv2020 from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildChapter, buildReport } from '../../../src/app/report/index.js';
import { scanTargets, type ScanRequest } from '../../../src/app/scan/index.js';
import { issueLeaf, pemChain, type Issued } from '../../../src/demo/index.js';
import { fixedClock, type Endpoint, type ScanResult } from '../../../src/domain/index.js';
import { renderReportText, renderScanMarkdown, renderScanText } from '../../../src/report/index.js';
import { openStore } from '../../../src/store/index.js';
import { createTestPki, daysFromNow, TEST_HOST, type TestPki } from '../../helpers/test-pki.js';

// Loopback addresses of this file's own, so fixed ports (8443) never collide with anything else.
const BIG = '127.72.0.1';
const WEB = '127.72.0.2';
const SWAP = '127.72.0.3';

let pki: TestPki;
let dataDir: string;
/** Self-signed, for another name, expiring in 5 days, with 5 000 names: about 105 KB. */
let big: Issued;

beforeAll(async () => {
  pki = await createTestPki();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-honest-'));
  big = await issueLeaf({
    commonName: 'autre.vigie.test',
    dnsNames: Array.from({ length: 5000 }, (_, i) => `nom-${String(i).padStart(4, '0')}.vigie.test`),
    notAfter: daysFromNow(5),
  });
}, 60_000);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function listen<S extends tls.Server | http.Server>(
  server: S,
  host: string,
  port = 0,
): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** A real TLS server (OpenSSL through node:tls) that answers any request with a bare 200. */
async function tlsServer(
  host: string,
  options: tls.TlsOptions,
): Promise<{ server: tls.Server; port: number }> {
  const server = tls.createServer(options, (socket) => {
    socket.on('error', () => undefined);
    socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  server.on('tlsClientError', () => undefined);
  return { server, port: await listen(server, host) };
}

const NOW = new Date();

async function scan(
  endpoints: Endpoint[],
  extra: Partial<ScanRequest> & { at?: Date } = {},
): Promise<ScanResult> {
  const { at, ...rest } = extra;
  return scanTargets(
    { clock: fixedClock(at ?? NOW), lang: 'fr', dataDir: path.join(dataDir, 'unsaved') },
    {
      targets: [],
      endpoints,
      inventoryFile: path.join(dataDir, 'absent.yml'),
      caFiles: [],
      trustAnchors: [pki.root.cert],
      categories: ['tls', 'http'],
      timeoutMs: 2000,
      save: false,
      ...rest,
    },
  );
}

const ids = (r: ScanResult): string[] => r.findings.map((f) => f.checkId).sort();
const scanErrors = (r: ScanResult) =>
  r.findings.filter((f) => f.checkId === 'scan.error').map((f) => f.details);

function validateAgainstSchema(result: ScanResult): void {
  const schema = JSON.parse(
    fs.readFileSync(new URL('../../../schemas/scan-result.schema.json', import.meta.url), 'utf8'),
  ) as object;
  const ajv = new Ajv2020.default({ allErrors: true });
  ajvFormats.default(ajv);
  const validate = ajv.compile(schema);
  const ok = validate(JSON.parse(JSON.stringify(result)));
  expect(validate.errors ?? [], 'schemas/scan-result.schema.json').toEqual([]);
  expect(ok).toBe(true);
}

describe('a certificate larger than Node can take (about 105 KB)', () => {
  it('is read by the raw ClientHello and gives its real findings and a letter', async () => {
    expect(big.der.length).toBeGreaterThan(100 * 1024);
    expect(big.der.length).toBeLessThan(110 * 1024);
    const { port } = await tlsServer(BIG, { key: big.keyPem, cert: big.certPem, maxVersion: 'TLSv1.3' });
    const r = await scan([{ host: TEST_HOST, address: BIG, port }]);
    const e = r.endpoints[0]!;
    expect(e.status).toBe('assessed');
    expect(ids(r)).toEqual(
      expect.arrayContaining(['tls.cert.self-signed', 'tls.cert.hostname-mismatch', 'tls.cert.expiring']),
    );
    expect(e.tls?.grade?.grade).toBe('T');
    expect(e.tls?.certificate?.subject).toContain('autre.vigie.test');
    // 5 000 names are not all copied into the evidence.
    const mismatch = r.findings.find((f) => f.checkId === 'tls.cert.hostname-mismatch');
    expect(mismatch?.evidence.length).toBeLessThan(2000);
    expect(mismatch?.evidence).toContain('(+4980)');

    // Node's HTTPS client cannot complete the handshake: the HTTP family is not evaluated, and says so.
    expect(e.errors?.map((x) => [x.category, x.postureCategory])).toEqual([['http', 'http']]);
    expect(scanErrors(r)).toEqual([
      {
        family: 'http',
        reason: 'handshake-failed',
        detail: 'ERR_SSL_EXCESSIVE_MESSAGE_SIZE: SSL routines:read_state_machine:excessive message size',
      },
    ]);
    expect(e.http).toMatchObject({ grade: { grade: 'not-evaluated', reason: 'handshake-failed' } });
    expect(e.http?.status).toBeUndefined();
    expect(e.checks['http.hsts.missing']).toBe('error');
    expect(Object.entries(e.checks).filter(([id, s]) => id.startsWith('http.') && s === 'pass')).toEqual([]);
    expect(r.posture).toMatchObject({ partial: 1, unassessed: 0 });
    expect(r.posture?.byCategory.find((c) => c.category === 'http')).toEqual({
      category: 'http',
      index: 0,
      endpoints: 0,
      unassessed: 1,
    });
    validateAgainstSchema(r);
  }, 30_000);

  it('behind TLS 1.3 only (encrypted certificate): TLS is not evaluated, never A-, never posture 100', async () => {
    const { port } = await tlsServer(BIG, {
      key: big.keyPem,
      cert: big.certPem,
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
    });
    const r = await scan([{ host: TEST_HOST, address: BIG, port }], { categories: ['tls'] });
    const e = r.endpoints[0]!;
    // The protocols were observed: the endpoint is assessed, in part.
    expect(e.status).toBe('assessed');
    expect(e.tls?.protocols).toEqual(['tls1.3']);
    expect(e.checks['tls.protocol.tls10']).toBe('pass');
    for (const id of ['tls.cert.self-signed', 'tls.cert.hostname-mismatch', 'tls.cert.expiring'])
      expect(e.checks[id]).toBe('error');
    expect(Object.entries(e.checks).filter(([id, s]) => id.startsWith('tls.cert.') && s !== 'error')).toEqual(
      [],
    );
    expect(e.tls?.grade).toMatchObject({ grade: 'not-evaluated', reason: 'handshake-failed' });
    expect(e.tls?.grade?.grade).not.toMatch(/^[A-FTM]/);
    const [failure] = r.findings.filter((f) => f.checkId === 'scan.error');
    expect(failure?.details).toMatchObject({ family: 'tls', reason: 'handshake-failed' });
    // The evidence is the same from one process to the next: no OpenSSL thread id, no source line.
    expect(failure?.details['detail']).toBe(
      'certificat : SSL routines:read_state_machine:excessive message size',
    );
    expect(failure?.evidence).toMatch(
      /^L'analyse n'a pas pu aboutir pour les contrôles tls \(handshake-failed\) : certificat : /,
    );
    expect(e.checks['scan.error']).toBe('fail');
    expect(r.posture?.index).toBeLessThan(100);
    expect(r.posture).toMatchObject({ partial: 1 });
    expect(r.posture?.byCategory).toContainEqual({ category: 'tls', index: 0, endpoints: 0, unassessed: 1 });

    // Every renderer says « non évaluée », none shows a letter for it.
    const text = renderScanText(r, 'fr');
    expect(text).toContain('Note TLS');
    expect(text).toMatch(/évalué .*non évaluée/);
    expect(renderScanText(r, 'en')).toMatch(/assessed .*not evaluated/);
    expect(renderScanMarkdown(r, 'fr')).toMatch(/\| non évaluée \|/);
    validateAgainstSchema(r);
  }, 30_000);
});

describe('a TLS family that fails, then works again', () => {
  it('keeps one scan.error with a stable fingerprint while it fails, and closes it when TLS works', async () => {
    const saved = path.join(dataDir, 'lifecycle');
    const failing = {
      key: big.keyPem,
      cert: big.certPem,
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
    } as const;
    const { server, port } = await tlsServer(SWAP, failing);
    const endpoint: Endpoint = { host: TEST_HOST, address: SWAP, port };
    const run = (at: Date) =>
      scanTargets(
        { clock: fixedClock(at), lang: 'fr', dataDir: saved },
        {
          targets: [],
          endpoints: [endpoint],
          inventoryFile: path.join(dataDir, 'absent.yml'),
          caFiles: [],
          trustAnchors: [pki.root.cert],
          categories: ['tls'],
          timeoutMs: 2000,
          save: true,
        },
      );
    const day = (n: number) => new Date(NOW.getTime() + n * 86_400_000);

    const first = await run(day(0));
    const second = await run(day(1));
    const fp = (r: ScanResult) =>
      r.findings.filter((f) => f.checkId === 'scan.error').map((f) => f.fingerprint);
    expect(fp(first)).toHaveLength(1);
    expect(fp(second)).toEqual(fp(first));
    expect(second.findings.find((f) => f.checkId === 'scan.error')?.firstSeen).toBe(day(0).toISOString());

    // The report built from the store says « not evaluated » too, and leaves TLS out of its category.
    const report = await buildReport({ clock: fixedClock(day(1)), lang: 'fr', dataDir: saved });
    expect(report.endpoints[0]?.tlsGrade?.grade).toBe('not-evaluated');
    expect(report.categories.find((c) => c.category === 'tls')).toMatchObject({
      endpoints: 0,
      unassessed: 1,
    });
    expect(renderReportText(report, 'fr')).toContain('non évalué (1)');
    // The trust chapter counts it neither as an A nor against: it says it was not graded.
    const chapter = await buildChapter(
      { clock: fixedClock(day(1)), lang: 'fr', dataDir: saved },
      { year: day(1).getUTCFullYear(), inventoryFile: path.join(dataDir, 'absent.yml') },
    );
    const gradeA = chapter.indicators.find((i) => i.id === 'grade-a');
    expect(gradeA).toMatchObject({ available: false });
    expect(gradeA?.comment).toContain('1 non noté(s)');

    // The server is fixed: a chain vigie trusts, TLS 1.2 and 1.3.
    const leaf = await pki.leaf();
    server.setSecureContext({
      key: leaf.keyPem,
      cert: pemChain(leaf, pki.intermediate),
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305',
    });
    const third = await run(day(2));
    expect(ids(third)).toEqual([]);
    expect(third.endpoints[0]?.tls?.grade?.grade).toMatch(/^A/);
    // Node's OpenSSL 3.0 has no hybrid group: observed « not post-quantum ready », counted as such.
    expect(third.endpoints[0]?.tls?.postQuantum).toBe(false);
    const pq = (
      await buildChapter(
        { clock: fixedClock(day(2)), lang: 'fr', dataDir: saved },
        { year: day(2).getUTCFullYear(), inventoryFile: path.join(dataDir, 'absent.yml') },
      )
    ).indicators.find((i) => i.id === 'post-quantum');
    expect(pq).toMatchObject({ available: true, value: '0 %' });
    const store = openStore(saved);
    try {
      const [tracked] = (await store.findings.list({ now: day(2).toISOString() })).filter(
        (f) => f.checkId === 'scan.error',
      );
      expect(tracked).toMatchObject({ fingerprint: fp(first)[0], status: 'resolved', key: 'tls' });
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe('an HTTPS page that cannot be reached', () => {
  const cert = () => pki.leaf();

  it('ends a redirect loop as not evaluated: no headers, no grade and no status of the last hop', async () => {
    const leaf = await cert();
    const server = https.createServer(
      { key: leaf.keyPem, cert: pemChain(leaf, pki.intermediate) },
      (req, res) => {
        // A redirect that looks like a page: security headers, and a loop.
        res.writeHead(302, {
          Location: `/boucle${(req.url?.length ?? 0) % 7}`,
          'Strict-Transport-Security': 'max-age=31536000',
          'Content-Security-Policy': "default-src 'self'",
        });
        res.end();
      },
    );
    server.on('tlsClientError', () => undefined);
    const port = await listen(server, WEB);
    const r = await scan([{ host: TEST_HOST, address: WEB, port }], { categories: ['http'] });
    const e = r.endpoints[0]!;
    expect(e.http).toEqual({
      url: `https://${TEST_HOST}:${port}/`,
      grade: expect.objectContaining({ grade: 'not-evaluated', reason: 'too-many-redirects' }) as unknown,
    });
    expect(Object.entries(e.checks).filter(([id, s]) => id.startsWith('http.') && s !== 'error')).toEqual([]);
    // Nothing of the last hop is reported as the page's: no header finding, only the scan.error.
    expect(ids(r)).toEqual(['scan.error']);
    // HTTP was all this scan asked for: the whole endpoint is not assessed.
    expect(e.status).toBe('error');
    expect(scanErrors(r)).toEqual([expect.objectContaining({ reason: 'too-many-redirects' })]);
    // The custom HTTP checks needed that web server: they could not tell either.
    expect(e.checks['custom.http.git-head']).toBe('error');
    validateAgainstSchema(r);
  });

  it('reports a custom check whose own request fails as a failure of the custom family', async () => {
    const leaf = await cert();
    const server = https.createServer(
      { key: leaf.keyPem, cert: pemChain(leaf, pki.intermediate) },
      (req, res) => {
        if (req.url === '/.git/HEAD') {
          req.socket.destroy();
          return;
        }
        res.writeHead(req.url === '/' ? 200 : 404, { 'Content-Type': 'text/html' }).end('<p>ok</p>');
      },
    );
    server.on('tlsClientError', () => undefined);
    server.on('clientError', () => undefined);
    const port = await listen(server, WEB);
    const r = await scan([{ host: TEST_HOST, address: WEB, port }], { categories: ['http'] });
    const e = r.endpoints[0]!;
    expect(e.checks['custom.http.git-head']).toBe('error');
    expect(e.checks['custom.http.phpinfo']).toBe('pass');
    expect(e.http?.grade?.grade).toMatch(/^[A-F]/);
    expect(scanErrors(r)).toEqual([expect.objectContaining({ family: 'custom', reason: 'reset' })]);
    expect(e.errors).toEqual([expect.objectContaining({ category: 'custom', postureCategory: 'http' })]);
  });
});
