import http from 'node:http';
import https from 'node:https';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CustomCheck, Endpoint, HttpGrade, NotEvaluatedGrade } from '../../src/domain/index.js';
import {
  runChecks,
  runScan,
  smtpPlugin,
  type CheckVerdict,
  type PlannedEndpoint,
} from '../../src/engine/index.js';
import { pemChain } from '../../src/demo/index.js';
import { listenForTest } from '../helpers/listen.js';
import { createTestPki, TEST_HOST, type TestPki } from '../helpers/test-pki.js';

const base = { timeoutMs: 2000, concurrency: 4, trustAnchors: [], now: () => new Date(), expiryDays: 30 };

let pki: TestPki;
let cert: { key: string; cert: string };
beforeAll(async () => {
  pki = await createTestPki();
  const leaf = await pki.leaf();
  cert = { key: leaf.keyPem, cert: pemChain(leaf, pki.intermediate) };
});

/** A web endpoint planned without TLS checks: only what HTTP observes. */
const web = (port: number, scheme: 'http' | 'https', customHttp: CustomCheck[] = []): PlannedEndpoint => {
  const endpoint: Endpoint = { host: TEST_HOST, address: '127.0.0.1', port };
  return { endpoint, tls: false, http: { scheme, path: '/' }, customHttp, customTcp: [] };
};

/** The HTTPS site, counting the GETs of `/` made without an Origin (the page, and any repeat of it). */
async function startSite(): Promise<{ port: number; pageRequests: () => number }> {
  let count = 0;
  const server = https.createServer(cert, (req, res) => {
    if (req.url === '/' && req.headers.origin === undefined) count += 1;
    res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<html><body>Accueil — version 1.2.3</body></html>');
  });
  return { port: await listenForTest(server), pageRequests: () => count };
}

/** Plain HTTP on the same host: redirects to the HTTPS site, or serves the page in clear. */
async function startPlain(redirectTo: number | undefined): Promise<number> {
  const server = http.createServer((_req, res) => {
    if (redirectTo === undefined) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>en clair</html>');
      return;
    }
    res.writeHead(301, { location: `https://${TEST_HOST}:${redirectTo}/` });
    res.end();
  });
  return listenForTest(server);
}

const redirection = (grade: HttpGrade | NotEvaluatedGrade | undefined) =>
  grade && 'modifiers' in grade ? grade.modifiers.find((m) => m.test === 'redirection') : undefined;

describe('the engine observes once, then judges', () => {
  it('scores the Observatory redirection test from the host’s plain-HTTP port when the scan observed it', async () => {
    const site = await startSite();
    const redirecting = await startPlain(site.port);
    const r = await runScan([web(site.port, 'https'), web(redirecting, 'http')], {
      ...base,
      plainHttpPort: redirecting,
    });
    const https = r.endpoints.find((e) => e.port === site.port);
    expect(redirection(https?.http?.grade)).toMatchObject({ result: 'redirection-to-https', modifier: 0 });

    const clear = await startPlain(undefined);
    const missing = await runScan([web(site.port, 'https'), web(clear, 'http')], {
      ...base,
      plainHttpPort: clear,
    });
    expect(redirection(missing.endpoints.find((e) => e.port === site.port)?.http?.grade)).toMatchObject({
      result: 'redirection-missing',
      modifier: -20,
    });
  });

  it('scores "no HTTP" when the host’s plain-HTTP port is closed, and leaves it unevaluated when not scanned', async () => {
    const site = await startSite();
    // A port bound then released, on an address where nothing else listens: closed.
    const closedPort = await new Promise<number>((resolve) => {
      const s = http.createServer();
      s.listen(0, '127.88.77.66', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const plain = web(closedPort, 'http');
    const closed = await runScan(
      [
        web(site.port, 'https'),
        { ...plain, endpoint: { ...plain.endpoint, address: '127.88.77.66', implicit: true } },
      ],
      { ...base, plainHttpPort: closedPort },
    );
    expect(closed.endpoints.find((e) => e.port === closedPort)?.closed).toBe(true);
    expect(redirection(closed.endpoints.find((e) => e.port === site.port)?.http?.grade)).toMatchObject({
      result: 'redirection-not-needed-no-http',
    });
    const alone = await runScan([web(site.port, 'https')], base);
    expect(redirection(alone.endpoints[0]?.http?.grade)).toMatchObject({ result: 'not-evaluated' });
  });

  it('answers a custom HTTP check on the probe’s own path from the page already fetched', async () => {
    const site = await startSite();
    const check: CustomCheck = {
      id: 'custom.test.version-on-home',
      kind: 'http',
      severity: 'low',
      title: { fr: 'Version sur l’accueil', en: 'Version on the home page' },
      evidence: { fr: '{url}', en: '{url}' },
      remediation: { fr: 'Retirez-la.', en: 'Remove it.' },
      references: ['CWE-200'],
      file: 'test',
      http: { path: '/', scheme: 'https', matchers: [{ body: { regex: 'version \\d+\\.\\d+' } }] },
      cases: { match: [], noMatch: [] },
    };
    const r = await runScan([web(site.port, 'https', [check])], base);
    expect(r.findings.map((f) => f.checkId)).toContain('custom.test.version-on-home');
    expect(site.pageRequests()).toBe(1);
  });

  it('judges mail.starttls.missing like any check: a pure function of the SMTP observation', () => {
    const verdicts: Record<string, CheckVerdict> = {};
    const ctx = { now: new Date(), expiryDays: 30, endpoint: { host: 'mx.vigie.test', port: 25 } };
    const record = (id: string, v: CheckVerdict) => (verdicts[id] = v);
    runChecks(smtpPlugin.checks({}), { banner: '220 mx ESMTP', starttls: false }, ctx, record);
    expect(verdicts['mail.starttls.missing']).toEqual({
      status: 'fail',
      findings: [{ params: { host: 'mx.vigie.test', port: 25, banner: '220 mx ESMTP' } }],
    });
    runChecks(smtpPlugin.checks({}), { banner: '220 mx ESMTP', starttls: true }, ctx, record);
    expect(verdicts['mail.starttls.missing']).toEqual({ status: 'pass' });
  });
});
