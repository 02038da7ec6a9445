import { createServer } from 'node:https';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueLeaf, type Issued } from '../../src/demo/index.js';
import { gradeHttp } from '../../src/grading/index.js';
import { httpProbe } from '../../src/probes/http/index.js';
import { listenForTest } from '../helpers/listen.js';

/**
 * The HTTP grade end to end: one loopback HTTPS server per case (node:https, not the probe's
 * client), serving the headers and body of the case, probed by vigie's HTTP probe and graded.
 * Each case asserts the Observatory's result name and the modifier applied.
 */

const HOST = 'www.vigie.test';
const TIMEOUT_MS = 3000;
/** Header name → value(s); `undefined` leaves the header out. */
type Headers = Record<string, string | string[] | undefined>;
const SRI = 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC';

/** Headers that keep the score at 100 before bonuses, so that a bonus shows as applied. */
const BASE: Headers = {
  'content-type': 'text/html; charset=utf-8',
  'strict-transport-security': 'max-age=63072000',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
/** Without a header CSP: X-Frame-Options keeps framing covered. */
const NO_CSP: Headers = {
  ...BASE,
  'content-security-policy': undefined,
  'x-frame-options': 'DENY',
};
const page = (head: string): string =>
  `<!doctype html><html lang="fr"><head>${head}</head><body></body></html>`;

interface Case {
  name: string;
  headers: Headers;
  body?: string;
  /** test → [result, modifier] */
  expected: Record<string, [string, number]>;
}

const coop = (value: string | string[]): Headers => ({
  ...BASE,
  'cross-origin-opener-policy': value,
});
const coep = (value: string | string[]): Headers => ({
  ...BASE,
  'cross-origin-embedder-policy': value,
});
const COOP = 'cross-origin-opener-policy';
const COEP = 'cross-origin-embedder-policy';
const SRI_TEST = 'subresource-integrity';
const CSP = 'content-security-policy';

const CASES: Case[] = [
  // Cross-Origin-Opener-Policy
  { name: 'COOP absent', headers: BASE, expected: { [COOP]: ['coop-not-implemented', 0] } },
  {
    name: 'COOP same-origin',
    headers: coop('same-origin'),
    expected: { [COOP]: ['coop-implemented-with-same-origin', 10] },
  },
  {
    name: 'COOP same-origin-allow-popups',
    headers: coop('same-origin-allow-popups'),
    expected: { [COOP]: ['coop-implemented-with-same-origin-allow-popups', 10] },
  },
  {
    name: 'COOP noopener-allow-popups',
    headers: coop('noopener-allow-popups'),
    expected: { [COOP]: ['coop-implemented-with-noopener-allow-popups', 10] },
  },
  {
    name: 'COOP unsafe-none',
    headers: coop('unsafe-none'),
    expected: { [COOP]: ['coop-implemented-with-unsafe-none', 0] },
  },
  {
    name: 'COOP with a report-to parameter',
    headers: coop('same-origin; report-to="coop-endpoint"'),
    expected: { [COOP]: ['coop-implemented-with-same-origin', 10] },
  },
  {
    name: 'COOP in the wrong case',
    headers: coop('Same-Origin'),
    expected: { [COOP]: ['coop-header-invalid', -5] },
  },
  { name: 'COOP quoted', headers: coop('"same-origin"'), expected: { [COOP]: ['coop-header-invalid', -5] } },
  {
    name: 'COOP sent twice',
    headers: coop(['same-origin', 'same-origin']),
    expected: { [COOP]: ['coop-header-invalid', -5] },
  },
  {
    name: 'COOP unknown value',
    headers: coop('same-site'),
    expected: { [COOP]: ['coop-header-invalid', -5] },
  },
  {
    name: 'COOP malformed parameter',
    headers: coop('same-origin; report-to=coop endpoint'),
    expected: { [COOP]: ['coop-header-invalid', -5] },
  },
  // Cross-Origin-Embedder-Policy
  { name: 'COEP absent', headers: BASE, expected: { [COEP]: ['coep-not-implemented', 0] } },
  {
    name: 'COEP require-corp',
    headers: coep('require-corp'),
    expected: { [COEP]: ['coep-implemented-with-require-corp', 10] },
  },
  {
    name: 'COEP credentialless',
    headers: coep('credentialless'),
    expected: { [COEP]: ['coep-implemented-with-credentialless', 10] },
  },
  {
    name: 'COEP unsafe-none',
    headers: coep('unsafe-none'),
    expected: { [COEP]: ['coep-implemented-with-unsafe-none', 0] },
  },
  {
    name: 'COEP with a report-to parameter',
    headers: coep('require-corp; report-to="coep-endpoint"'),
    expected: { [COEP]: ['coep-implemented-with-require-corp', 10] },
  },
  {
    name: 'COEP in capitals',
    headers: coep('REQUIRE-CORP'),
    expected: { [COEP]: ['coep-header-invalid', -5] },
  },
  {
    name: 'COEP quoted',
    headers: coep('"credentialless"'),
    expected: { [COEP]: ['coep-header-invalid', -5] },
  },
  {
    name: 'COEP sent twice',
    headers: coep(['require-corp', 'unsafe-none']),
    expected: { [COEP]: ['coep-header-invalid', -5] },
  },
  // Subresource Integrity
  {
    name: 'SRI: no script',
    headers: BASE,
    body: page(''),
    expected: { [SRI_TEST]: ['sri-not-implemented-but-no-scripts-loaded', 0] },
  },
  {
    name: 'SRI: not HTML',
    headers: { ...BASE, 'content-type': 'application/json' },
    body: '{"script": "<script src=\\"http://cdn.example.net/x.js\\"></script>"}',
    expected: { [SRI_TEST]: ['sri-not-implemented-response-not-html', 0] },
  },
  {
    name: 'SRI: the site’s own scripts, relative and on its domain',
    headers: BASE,
    body: page('<script src="/app.js"></script><script src="https://static.vigie.test/lib.js"></script>'),
    expected: { [SRI_TEST]: ['sri-not-implemented-but-all-scripts-loaded-from-secure-origin', 0] },
  },
  {
    name: 'SRI: the site’s own script with integrity',
    headers: BASE,
    body: page(`<script src="/app.js" integrity="${SRI}"></script>`),
    expected: { [SRI_TEST]: ['sri-implemented-and-all-scripts-loaded-securely', 5] },
  },
  {
    name: 'SRI: external HTTPS script with integrity',
    headers: BASE,
    body: page(
      `<script src="https://cdn.example.net/lib.js" integrity="${SRI}" crossorigin="anonymous"></script>`,
    ),
    expected: { [SRI_TEST]: ['sri-implemented-and-external-scripts-loaded-securely', 5] },
  },
  {
    name: 'SRI: external HTTPS script without integrity',
    headers: BASE,
    body: page('<script src="https://cdn.example.net/lib.js"></script>'),
    expected: { [SRI_TEST]: ['sri-not-implemented-but-external-scripts-loaded-securely', -5] },
  },
  {
    name: 'SRI: external http: script with integrity',
    headers: BASE,
    body: page(`<script src="http://cdn.example.net/lib.js" integrity="${SRI}"></script>`),
    expected: { [SRI_TEST]: ['sri-implemented-but-external-scripts-not-loaded-securely', -20] },
  },
  {
    name: 'SRI: external http: script without integrity',
    headers: BASE,
    body: page('<script src="http://cdn.example.net/lib.js"></script>'),
    expected: { [SRI_TEST]: ['sri-not-implemented-and-external-scripts-not-loaded-securely', -50] },
  },
  {
    name: 'SRI: protocol-relative script with integrity',
    headers: BASE,
    body: page(`<script src="//cdn.example.net/lib.js" integrity="${SRI}"></script>`),
    expected: { [SRI_TEST]: ['sri-implemented-but-external-scripts-not-loaded-securely', -20] },
  },
  {
    name: 'SRI: protocol-relative script without integrity',
    headers: BASE,
    body: page('<script src="//cdn.example.net/lib.js"></script>'),
    expected: { [SRI_TEST]: ['sri-not-implemented-and-external-scripts-not-loaded-securely', -50] },
  },
  // Policies in <meta>
  {
    name: 'CSP only in <meta http-equiv>, name in another case',
    headers: NO_CSP,
    body: page(`<meta http-equiv="CONTENT-Security-Policy" content="default-src 'none'">`),
    expected: { [CSP]: ['csp-implemented-with-no-unsafe-default-src-none', 10] },
  },
  {
    name: 'a <meta> CSP of directives not allowed there',
    headers: NO_CSP,
    body: page(
      `<meta http-equiv="Content-Security-Policy" content="frame-ancestors 'none'; report-uri /r; sandbox">`,
    ),
    expected: { [CSP]: ['csp-not-implemented', -25] },
  },
  {
    name: 'header and <meta> policies merged',
    headers: { ...NO_CSP, 'content-security-policy': 'default-src https:' },
    body: page('<meta http-equiv="Content-Security-Policy" content="default-src http:">'),
    expected: { [CSP]: ['csp-implemented-with-no-unsafe-default-src-none', 10] },
  },
  {
    name: 'X-Frame-Options and frame-ancestors in <meta> ignored',
    headers: { ...NO_CSP, 'x-frame-options': undefined },
    body: page(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; frame-ancestors 'none'">` +
        '<meta http-equiv="X-Frame-Options" content="DENY">',
    ),
    expected: {
      [CSP]: ['csp-implemented-with-no-unsafe-default-src-none', 0],
      'x-frame-options': ['x-frame-options-not-implemented', -20],
    },
  },
  {
    name: 'Referrer-Policy from <meta name="referrer">',
    headers: { ...BASE, 'referrer-policy': undefined },
    body: page('<meta name="REFERRER" content="strict-origin-when-cross-origin">'),
    expected: { 'referrer-policy': ['referrer-policy-private', 5] },
  },
  {
    name: '<meta name="referrer"> after the header',
    headers: BASE,
    body: page('<meta name="referrer" content="unsafe-url">'),
    expected: { 'referrer-policy': ['referrer-policy-unsafe', -5] },
  },
  // X-Frame-Options, re-scored by the Observatory's algorithm 5
  {
    name: 'X-Frame-Options DENY',
    headers: { ...BASE, 'content-security-policy': "default-src 'none'", 'x-frame-options': 'DENY' },
    expected: { 'x-frame-options': ['x-frame-options-sameorigin-or-deny', 5] },
  },
];

describe('HTTP grade of a loopback HTTPS server (probe, then grade)', () => {
  let cert: Issued;
  beforeAll(async () => {
    cert = await issueLeaf({ commonName: HOST });
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const server = createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
        res.on('error', () => undefined);
        if (req.url !== '/') {
          res.writeHead(404).end();
          return;
        }
        for (const [name, value] of Object.entries(c.headers))
          if (value !== undefined) res.setHeader(name, value);
        res.writeHead(200).end(c.body ?? page(''));
      });
      server.on('tlsClientError', () => undefined);
      const port = await listenForTest(server);
      const obs = await httpProbe(
        { host: HOST, address: '127.0.0.1', port },
        { scheme: 'https', timeoutMs: TIMEOUT_MS },
      );
      if (obs.status !== 'observed') throw new Error(`probe failed: ${JSON.stringify(obs)}`);
      const grade = gradeHttp(obs.value);
      const got = Object.fromEntries(
        Object.keys(c.expected).map((test) => {
          const m = grade.modifiers.find((x) => x.test === test);
          return [test, m ? [m.result, m.modifier] : undefined];
        }),
      );
      expect(got).toEqual(c.expected);
    });
  }
});
