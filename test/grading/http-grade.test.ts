import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HttpObservation, HttpResponseFacts, Outcome } from '../../src/domain/index.js';
import {
  gradeHttp,
  HTTP_GRADE_POINTS,
  HTTP_SCORING_VERSION,
  letterGrade,
  type HttpGradeResult,
} from '../../src/grading/index.js';
import { collectHtmlElements } from '../../src/probes/http/html-elements.js';

const URL_HTTPS = 'https://www.exemple.fr/';
const ORIGIN = 'https://vigie-cors-check.invalid';

const CLEAN: [string, string][] = [
  ['strict-transport-security', 'max-age=63072000'],
  ['content-security-policy', "default-src 'none'; img-src 'self'; frame-ancestors 'none'"],
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'strict-origin-when-cross-origin'],
  ['set-cookie', 'sessionid=x; Secure; HttpOnly; SameSite=Lax'],
];

function obs(headers: [string, string][], over: Partial<HttpObservation> = {}): HttpObservation {
  const page: HttpResponseFacts = { url: URL_HTTPS, status: 200, headers, body: '', bodyTruncated: false };
  return { scheme: 'https', url: URL_HTTPS, chain: [page], ...over };
}

const cors = (headers: [string, string][]): Outcome<HttpResponseFacts> => ({
  status: 'observed',
  value: { url: URL_HTTPS, status: 200, headers, body: '', bodyTruncated: false },
});

/** test → [result, modifier applied] */
const table = (g: HttpGradeResult): Record<string, [string, number]> =>
  Object.fromEntries(g.modifiers.map((m) => [m.test, [m.result, m.modifier]]));

/** A header set with some headers replaced (`null` removes them). */
function headers(changes: Record<string, string | null>): [string, string][] {
  return [
    ...CLEAN.filter(([n]) => !(n in changes)),
    ...Object.entries(changes).flatMap(([n, v]): [string, string][] => (v === null ? [] : [[n, v]])),
  ];
}

describe('gradeHttp (MDN HTTP Observatory scoring)', () => {
  it('gives a clean page 125 (A+) and lists every test with its modifier', () => {
    const g = gradeHttp(obs(CLEAN));
    expect(g.scoringVersion).toBe(HTTP_SCORING_VERSION);
    expect(table(g)).toEqual({
      'content-security-policy': ['csp-implemented-with-no-unsafe-default-src-none', 10],
      cookies: ['cookies-secure-with-httponly-sessions-and-samesite', 5],
      'cross-origin-embedder-policy': ['coep-not-implemented', 0],
      'cross-origin-opener-policy': ['coop-not-implemented', 0],
      'cross-origin-resource-sharing': ['cross-origin-resource-sharing-not-implemented', 0],
      redirection: ['not-evaluated', 0],
      'referrer-policy': ['referrer-policy-private', 5],
      'strict-transport-security': ['hsts-implemented-max-age-at-least-six-months', 0],
      'subresource-integrity': ['not-evaluated', 0],
      'x-content-type-options': ['x-content-type-options-nosniff', 0],
      'x-frame-options': ['x-frame-options-implemented-via-csp', 5],
      'cross-origin-resource-policy': ['corp-not-implemented', 0],
    });
    expect(g).toMatchObject({ score: 125, grade: 'A+' });
    expect(g.modifiers.every((m) => m.note.length > 0)).toBe(true);
  });

  it('gives a page without any security header 30 (D)', () => {
    const g = gradeHttp(obs([['content-type', 'text/html']]));
    expect(table(g)).toMatchObject({
      'content-security-policy': ['csp-not-implemented', -25],
      cookies: ['cookies-not-found', 0],
      'strict-transport-security': ['hsts-not-implemented', -20],
      'x-content-type-options': ['x-content-type-options-not-implemented', -5],
      'x-frame-options': ['x-frame-options-not-implemented', -20],
      'referrer-policy': ['referrer-policy-not-implemented', 0],
    });
    expect(g).toMatchObject({ score: 30, grade: 'D' });
  });

  it('holds bonuses back when the score without them is below 90, and says so', () => {
    // No CSP (-25): 75 without bonuses; the Referrer-Policy (+5) and cookie (+5) bonuses do not count.
    const g = gradeHttp(obs(headers({ 'content-security-policy': null, 'x-frame-options': 'DENY' })));
    expect(g).toMatchObject({ score: 75, grade: 'B' });
    const referrer = g.modifiers.find((m) => m.test === 'referrer-policy');
    expect(referrer).toMatchObject({ result: 'referrer-policy-private', modifier: 0 });
    expect(referrer?.note).toMatch(/bonus de \+5 non retenu : score sans bonus 75 < 90/);
  });

  it('applies bonuses from exactly 90', () => {
    // HSTS < 6 months (-10): 90 without bonuses, then +10 +5 +5 +5.
    const g = gradeHttp(obs(headers({ 'strict-transport-security': 'max-age=86400' })));
    expect(table(g)['strict-transport-security']).toEqual([
      'hsts-implemented-max-age-less-than-six-months',
      -10,
    ]);
    expect(g).toMatchObject({ score: 115, grade: 'A+' });
  });

  it('scores CSP results as the Observatory does', () => {
    const cases: [string | null, string, number][] = [
      ["default-src 'self'; script-src 'self' 'unsafe-inline'", 'csp-implemented-with-unsafe-inline', -20],
      ["default-src 'self'; script-src 'self' 'unsafe-eval'", 'csp-implemented-with-unsafe-eval', -10],
      [
        "default-src 'self'; script-src 'self' http://cdn.exemple.fr",
        'csp-implemented-with-insecure-scheme',
        -20,
      ],
      ["default-src 'self'; object-src *", 'csp-implemented-with-unsafe-inline', -20],
      [
        "default-src 'self'; img-src http:",
        'csp-implemented-with-insecure-scheme-in-passive-content-only',
        -10,
      ],
      [
        "default-src 'self'; img-src http://img.exemple.fr",
        'csp-implemented-with-insecure-scheme-in-passive-content-only',
        -10,
      ],
      [
        "default-src 'self'; style-src 'unsafe-inline'",
        'csp-implemented-with-unsafe-inline-in-style-src-only',
        0,
      ],
      ["default-src 'self'", 'csp-implemented-with-no-unsafe', 5],
      [
        "script-src 'nonce-abc' 'unsafe-inline' 'strict-dynamic' https:; object-src 'none'; default-src 'self'",
        'csp-implemented-with-no-unsafe',
        5,
      ],
      ["script-src 'strict-dynamic'; default-src 'self'", 'csp-header-invalid', -25],
      ["default-src 'self'; default-src 'none'", 'csp-header-invalid', -25],
      ["default-src 'none'; report-uri /a; report-uri /b", 'csp-implemented-but-duplicate-directives', 0],
      ["frame-ancestors 'none'", 'csp-implemented-with-unsafe-inline', -20],
    ];
    for (const [policy, result, modifier] of cases) {
      // X-Frame-Options set, so that a policy without frame-ancestors keeps its bonus.
      const g = gradeHttp(obs(headers({ 'content-security-policy': policy, 'x-frame-options': 'DENY' })));
      expect(table(g)['content-security-policy'], String(policy)).toEqual([result, modifier]);
    }
    const reportOnly = gradeHttp(
      obs(
        headers({
          'content-security-policy': null,
          'content-security-policy-report-only': "default-src 'none'",
        }),
      ),
    );
    expect(table(reportOnly)['content-security-policy']).toEqual([
      'csp-not-implemented-but-reporting-enabled',
      -25,
    ]);
  });

  it('scores cookies, the worst result winning', () => {
    const cookie = (c: string, hsts: string | null = 'max-age=63072000') =>
      table(gradeHttp(obs(headers({ 'set-cookie': c, 'strict-transport-security': hsts })))).cookies;
    expect(cookie('sessionid=1; HttpOnly; SameSite=Lax', null)).toEqual([
      'cookies-session-without-secure-flag',
      -40,
    ]);
    expect(cookie('sessionid=1; HttpOnly; SameSite=Lax')).toEqual([
      'cookies-session-without-secure-flag-but-protected-by-hsts',
      -10,
    ]);
    expect(cookie('sessionid=1; Secure; SameSite=Lax')).toEqual([
      'cookies-session-without-httponly-flag',
      -30,
    ]);
    expect(cookie('pref=1; HttpOnly; SameSite=Lax', null)).toEqual(['cookies-without-secure-flag', -20]);
    expect(cookie('pref=1; Secure; SameSite=Bogus')).toEqual(['cookies-samesite-flag-invalid', -20]);
    expect(cookie('csrftoken=1; Secure')).toEqual(['cookies-anticsrf-without-samesite-flag', -20]);
    expect(cookie('pref=1; Secure')).toEqual(['cookies-secure-with-httponly-sessions', 0]);
  });

  it('scores CORS: a reflected origin with credentials costs 50', () => {
    const universal = gradeHttp(
      obs(CLEAN, {
        cors: cors([
          ['access-control-allow-origin', ORIGIN],
          ['access-control-allow-credentials', 'true'],
        ]),
      }),
    );
    expect(table(universal)['cross-origin-resource-sharing']).toEqual([
      'cross-origin-resource-sharing-implemented-with-universal-access',
      -50,
    ]);
    expect(universal).toMatchObject({ score: 50, grade: 'C' });
    const wildcard = gradeHttp(obs(CLEAN, { cors: cors([['access-control-allow-origin', '*']]) }));
    expect(table(wildcard)['cross-origin-resource-sharing']).toEqual([
      'cross-origin-resource-sharing-implemented-with-public-access',
      0,
    ]);
  });

  it('scores the redirection from the plain HTTP observation', () => {
    const plain = (chain: HttpResponseFacts[]): Outcome<HttpObservation> => ({
      status: 'observed',
      value: { scheme: 'http', url: 'http://www.exemple.fr/', chain },
    });
    const r = (url: string, status: number, location?: string): HttpResponseFacts => ({
      url,
      status,
      headers: location ? [['location', location]] : [],
      body: '',
      bodyTruncated: false,
    });
    const redirection = (p: Outcome<HttpObservation>) =>
      table(gradeHttp(obs(CLEAN), { plainHttp: p })).redirection;

    expect(redirection(plain([r('http://www.exemple.fr/', 301, URL_HTTPS), r(URL_HTTPS, 200)]))).toEqual([
      'redirection-to-https',
      0,
    ]);
    expect(redirection(plain([r('http://www.exemple.fr/', 200)]))).toEqual(['redirection-missing', -20]);
    expect(redirection(plain([r('http://www.exemple.fr/', 301, 'https://autre.exemple.fr/')]))).toEqual([
      'redirection-off-host-from-http',
      -5,
    ]);
    expect(
      redirection(
        plain([
          r('http://www.exemple.fr/', 301, '/b'),
          r('http://www.exemple.fr/b', 301, URL_HTTPS),
          r(URL_HTTPS, 200),
        ]),
      ),
    ).toEqual(['redirection-not-to-https-on-initial-redirection', -10]);
    expect(redirection(plain([r('http://www.exemple.fr/', 301, 'http://autre.exemple.fr/')]))).toEqual([
      'redirection-not-to-https',
      -20,
    ]);
    expect(redirection({ status: 'error', reason: 'refused', detail: 'ECONNREFUSED' })).toEqual([
      'redirection-not-needed-no-http',
      0,
    ]);
    // An HTTP endpoint is graded on its own chain.
    const httpEndpoint = gradeHttp({
      scheme: 'http',
      url: 'http://www.exemple.fr/',
      chain: [r('http://www.exemple.fr/', 200)],
    });
    expect(table(httpEndpoint).redirection).toEqual(['redirection-missing', -20]);
    expect(table(httpEndpoint)['strict-transport-security']).toEqual(['hsts-not-implemented-no-https', -20]);
  });

  it('scores X-Frame-Options, X-Content-Type-Options, Referrer-Policy and CORP', () => {
    const noCsp = { 'content-security-policy': "default-src 'none'" };
    expect(
      table(gradeHttp(obs(headers({ ...noCsp, 'x-frame-options': 'SAMEORIGIN' }))))['x-frame-options'],
    ).toEqual(['x-frame-options-sameorigin-or-deny', 5]);
    expect(
      table(gradeHttp(obs(headers({ ...noCsp, 'x-frame-options': 'ALLOWALL' }))))['x-frame-options'],
    ).toEqual(['x-frame-options-header-invalid', -20]);
    expect(
      table(gradeHttp(obs(headers({ 'x-content-type-options': 'nosniff, nosniff' }))))[
        'x-content-type-options'
      ],
    ).toEqual(['x-content-type-options-header-invalid', -5]);
    expect(
      table(gradeHttp(obs(headers({ 'referrer-policy': 'no-referrer-when-downgrade' }))))['referrer-policy'],
    ).toEqual(['referrer-policy-unsafe', -5]);
    expect(table(gradeHttp(obs(headers({ 'referrer-policy': 'bogus' }))))['referrer-policy']).toEqual([
      'referrer-policy-header-invalid',
      -5,
    ]);
    expect(
      table(gradeHttp(obs(headers({ 'cross-origin-resource-policy': 'same-origin' }))))[
        'cross-origin-resource-policy'
      ],
    ).toEqual(['corp-implemented-with-same-origin', 10]);
  });

  it('never goes below 0 (F)', () => {
    const g = gradeHttp(
      obs([['set-cookie', 'sessionid=1']], {
        cors: cors([
          ['access-control-allow-origin', ORIGIN],
          ['access-control-allow-credentials', 'true'],
        ]),
      }),
    );
    // -25 CSP, -40 cookies, -50 CORS, -20 HSTS, -5 XCTO, -20 XFO = -160.
    expect(g).toMatchObject({ score: 0, grade: 'F' });
  });

  it('follows the grade chart', () => {
    const chart: [number, string][] = [
      [135, 'A+'],
      [100, 'A+'],
      [99, 'A'],
      [90, 'A'],
      [89, 'A-'],
      [85, 'A-'],
      [80, 'B+'],
      [79, 'B'],
      [70, 'B'],
      [65, 'B-'],
      [60, 'C+'],
      [50, 'C'],
      [45, 'C-'],
      [40, 'D+'],
      [30, 'D'],
      [25, 'D-'],
      [24, 'F'],
      [0, 'F'],
    ];
    for (const [score, grade] of chart) expect(letterGrade(score), String(score)).toBe(grade);
  });
});

/** A page with a body: its `<script>` and `<meta>` elements read as the HTTP probe reads them. */
function htmlPage(
  headerList: [string, string][],
  body: string,
  over: Partial<HttpObservation> = {},
  url = URL_HTTPS,
): HttpObservation {
  const page: HttpResponseFacts = {
    url,
    status: 200,
    headers: headerList,
    body,
    bodyTruncated: false,
    html: collectHtmlElements(body),
  };
  return { scheme: url.startsWith('https:') ? 'https' : 'http', url, chain: [page], ...over };
}
const HTML: [string, string] = ['content-type', 'text/html; charset=utf-8'];
const scripts = (...tags: string[]): string => `<!doctype html><html><head>${tags.join('')}</head></html>`;

describe('gradeHttp: Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy', () => {
  const coop = (...values: string[]) =>
    table(
      gradeHttp(
        obs(headers({}).concat(values.map((v): [string, string] => ['cross-origin-opener-policy', v]))),
      ),
    )['cross-origin-opener-policy'];
  const coep = (...values: string[]) =>
    table(
      gradeHttp(
        obs(headers({}).concat(values.map((v): [string, string] => ['cross-origin-embedder-policy', v]))),
      ),
    )['cross-origin-embedder-policy'];

  it('lists both tests in the Observatory’s order, after cookies', () => {
    expect(gradeHttp(obs(CLEAN)).modifiers.map((m) => m.test)).toEqual([
      'content-security-policy',
      'cookies',
      'cross-origin-embedder-policy',
      'cross-origin-opener-policy',
      'cross-origin-resource-sharing',
      'redirection',
      'referrer-policy',
      'strict-transport-security',
      'subresource-integrity',
      'x-content-type-options',
      'x-frame-options',
      'cross-origin-resource-policy',
    ]);
  });

  it('scores each COOP value, report-to parameters allowed', () => {
    expect(coop()).toEqual(['coop-not-implemented', 0]);
    expect(coop('same-origin')).toEqual(['coop-implemented-with-same-origin', 10]);
    expect(coop('same-origin-allow-popups')).toEqual(['coop-implemented-with-same-origin-allow-popups', 10]);
    expect(coop('noopener-allow-popups')).toEqual(['coop-implemented-with-noopener-allow-popups', 10]);
    expect(coop('unsafe-none')).toEqual(['coop-implemented-with-unsafe-none', 0]);
    expect(coop('same-origin; report-to="coop-endpoint"')).toEqual(['coop-implemented-with-same-origin', 10]);
    // A parameter without a value is a boolean parameter: still a valid structured field.
    expect(coop('same-origin; report-to')).toEqual(['coop-implemented-with-same-origin', 10]);
  });

  it('calls COOP invalid for a wrong case, a quoted value, an unknown value, bad syntax or two fields', () => {
    for (const value of [
      'Same-Origin',
      'SAME-ORIGIN',
      '"same-origin"',
      'whimsy',
      'same-origin; report-to=coop endpoint',
    ]) {
      expect(coop(value), value).toEqual(['coop-header-invalid', -5]);
    }
    expect(coop('same-origin', 'unsafe-none')).toEqual(['coop-header-invalid', -5]);
    expect(coop('same-origin, unsafe-none')).toEqual(['coop-header-invalid', -5]);
  });

  it('scores each COEP value and calls the same invalid forms invalid', () => {
    expect(coep()).toEqual(['coep-not-implemented', 0]);
    expect(coep('require-corp')).toEqual(['coep-implemented-with-require-corp', 10]);
    expect(coep('credentialless')).toEqual(['coep-implemented-with-credentialless', 10]);
    expect(coep('unsafe-none')).toEqual(['coep-implemented-with-unsafe-none', 0]);
    expect(coep('credentialless; report-to="coep-endpoint"')).toEqual([
      'coep-implemented-with-credentialless',
      10,
    ]);
    for (const value of [
      'Require-Corp',
      '"require-corp"',
      'require-corp; report-to=coep endpoint',
      'same-origin',
    ]) {
      expect(coep(value), value).toEqual(['coep-header-invalid', -5]);
    }
    expect(coep('require-corp', 'require-corp')).toEqual(['coep-header-invalid', -5]);
  });

  it('adds both bonuses to a clean page, and holds them back below 90', () => {
    const strict = headers({
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    expect(gradeHttp(obs(strict))).toMatchObject({ score: 145, grade: 'A+' });
    const held = gradeHttp(
      obs([...strict.filter(([n]) => n !== 'content-security-policy'), ['x-frame-options', 'DENY']]),
    );
    expect(held.score).toBe(75);
    expect(held.modifiers.find((m) => m.test === 'cross-origin-opener-policy')).toMatchObject({
      result: 'coop-implemented-with-same-origin',
      modifier: 0,
    });
  });
});

describe('gradeHttp: Subresource Integrity', () => {
  const sri = (body: string, headerList: [string, string][] = [HTML, ...CLEAN], url = URL_HTTPS) =>
    table(gradeHttp(htmlPage(headerList, body, {}, url)))['subresource-integrity'];
  const SRI_HASH = 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC';

  it('is not evaluated when the page’s HTML was not read', () => {
    expect(table(gradeHttp(obs(CLEAN)))['subresource-integrity']).toEqual(['not-evaluated', 0]);
  });

  it('gives the Observatory’s result for each kind of script', () => {
    expect(sri(scripts())).toEqual(['sri-not-implemented-but-no-scripts-loaded', 0]);
    expect(sri('{"a": 1}', [['content-type', 'application/json']])).toEqual([
      'sri-not-implemented-response-not-html',
      0,
    ]);
    // The site's own scripts: relative, or absolute on the same registrable domain.
    expect(sri(scripts('<script src="/js/app.js"></script>'))).toEqual([
      'sri-not-implemented-but-all-scripts-loaded-from-secure-origin',
      0,
    ]);
    expect(sri(scripts('<script src="https://static.exemple.fr/app.js"></script>'))).toEqual([
      'sri-not-implemented-but-all-scripts-loaded-from-secure-origin',
      0,
    ]);
    expect(sri(scripts(`<script src="/js/app.js" integrity="${SRI_HASH}"></script>`))).toEqual([
      'sri-implemented-and-all-scripts-loaded-securely',
      5,
    ]);
    // Inline scripts count as scripts of the site.
    expect(sri(scripts('<script>var a = 1;</script>'))).toEqual([
      'sri-not-implemented-but-all-scripts-loaded-from-secure-origin',
      0,
    ]);
    // Foreign scripts over HTTPS, with and without integrity.
    expect(
      sri(
        scripts(
          `<script src="https://cdn.example.net/lib.js" integrity="${SRI_HASH}" crossorigin="anonymous"></script>`,
        ),
      ),
    ).toEqual(['sri-implemented-and-external-scripts-loaded-securely', 5]);
    expect(sri(scripts('<script src="https://cdn.example.net/lib.js"></script>'))).toEqual([
      'sri-not-implemented-but-external-scripts-loaded-securely',
      -5,
    ]);
    // Over http:, or protocol-relative (even on the same domain): not loaded securely.
    expect(
      sri(scripts(`<script src="http://cdn.example.net/lib.js" integrity="${SRI_HASH}"></script>`)),
    ).toEqual(['sri-implemented-but-external-scripts-not-loaded-securely', -20]);
    expect(sri(scripts('<script src="http://cdn.example.net/lib.js"></script>'))).toEqual([
      'sri-not-implemented-and-external-scripts-not-loaded-securely',
      -50,
    ]);
    expect(sri(scripts(`<script src="//cdn.example.net/lib.js" integrity="${SRI_HASH}"></script>`))).toEqual([
      'sri-implemented-but-external-scripts-not-loaded-securely',
      -20,
    ]);
    expect(sri(scripts('<script src="//www.exemple.fr/js/app.js"></script>'))).toEqual([
      'sri-not-implemented-and-external-scripts-not-loaded-securely',
      -50,
    ]);
  });

  it('follows the Observatory’s order of results across scripts, quirks included', () => {
    // A later foreign script replaces the bonus of the site's own script with integrity.
    expect(
      sri(
        scripts(
          `<script src="/a.js" integrity="${SRI_HASH}"></script>`,
          '<script src="https://cdn.example.net/b.js"></script>',
        ),
      ),
    ).toEqual(['sri-not-implemented-but-external-scripts-loaded-securely', -5]);
    // The Observatory ranks "no integrity over HTTPS" after "integrity over HTTP": the later wins.
    expect(
      sri(
        scripts(
          `<script src="http://cdn.example.net/a.js" integrity="${SRI_HASH}"></script>`,
          '<script src="https://cdn.example.net/b.js"></script>',
        ),
      ),
    ).toEqual(['sri-not-implemented-but-external-scripts-loaded-securely', -5]);
    expect(
      sri(
        scripts(
          '<script src="http://cdn.example.net/a.js"></script>',
          '<script src="https://cdn.example.net/b.js"></script>',
        ),
      ),
    ).toEqual(['sri-not-implemented-and-external-scripts-not-loaded-securely', -50]);
  });

  it('takes a relative script with integrity as secure only on an HTTPS page', () => {
    const body = scripts(`<script src="/a.js" integrity="${SRI_HASH}"></script>`);
    expect(sri(body)).toEqual(['sri-implemented-and-all-scripts-loaded-securely', 5]);
    expect(sri(body, [HTML, ...CLEAN], 'http://www.exemple.fr/')).toEqual([
      'sri-not-implemented-but-all-scripts-loaded-from-secure-origin',
      0,
    ]);
  });

  it('counts an empty integrity as none, and an unparsable script URL as not loaded securely', () => {
    expect(sri(scripts('<script src="https://cdn.example.net/b.js" integrity=""></script>'))).toEqual([
      'sri-not-implemented-but-external-scripts-loaded-securely',
      -5,
    ]);
    expect(sri(scripts('<script src="https://cdn example.net/b.js"></script>'))).toEqual([
      'sri-not-implemented-and-external-scripts-not-loaded-securely',
      -50,
    ]);
  });

  it('grants no SRI bonus on a page cut at the read limit, but keeps a penalty seen', () => {
    const cut = (body: string) => {
      const o = htmlPage(headers({}), body);
      const page = o.chain[0];
      if (page) page.bodyTruncated = true;
      return gradeHttp(o).modifiers.find((m) => m.test === 'subresource-integrity');
    };
    const bonus = cut(
      scripts(`<script src="https://cdn.example.net/lib.js" integrity="${SRI_HASH}"></script>`),
    );
    expect(bonus).toMatchObject({
      result: 'sri-implemented-and-external-scripts-loaded-securely',
      modifier: 0,
    });
    expect(bonus?.note).toMatch(/limite de lecture/);
    expect(cut(scripts('<script src="http://cdn.example.net/lib.js"></script>'))).toMatchObject({
      result: 'sri-not-implemented-and-external-scripts-not-loaded-securely',
      modifier: -50,
    });
  });
});

describe('gradeHttp: policies given in <meta>', () => {
  // X-Frame-Options set, so that a page without a header CSP keeps its bonuses.
  const noCsp = headers({ 'content-security-policy': null, 'x-frame-options': 'DENY' });
  const noCspNoXfo = noCsp.filter(([n]) => n !== 'x-frame-options');
  const grade = (headerList: [string, string][], head: string) =>
    table(
      gradeHttp(
        htmlPage([HTML, ...headerList], `<!doctype html><html><head>${head}</head><body></body></html>`),
      ),
    );

  it('honours a CSP given in <meta http-equiv>, its name in any case', () => {
    expect(
      grade(
        noCsp,
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; frame-ancestors 'none'">`,
      )['content-security-policy'],
    ).toEqual(['csp-implemented-with-no-unsafe-default-src-none', 10]);
    expect(
      grade(
        noCsp,
        `<META HTTP-EQUIV=" content-SECURITY-policy " CONTENT="default-src 'self' 'unsafe-inline'">`,
      )['content-security-policy'],
    ).toEqual(['csp-implemented-with-unsafe-inline', -20]);
  });

  it('ignores what a <meta> policy may not carry: alone, it is no CSP, and no framing protection', () => {
    const onlyDisallowed = grade(
      noCspNoXfo,
      `<meta http-equiv="Content-Security-Policy" content="frame-ancestors 'none'; report-uri /csp; sandbox">`,
    );
    expect(onlyDisallowed['content-security-policy']).toEqual(['csp-not-implemented', -25]);
    expect(onlyDisallowed['x-frame-options']).toEqual(['x-frame-options-not-implemented', -20]);
    const withDefault = gradeHttp(
      htmlPage(
        [HTML, ...noCspNoXfo],
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; frame-ancestors 'none'">`,
      ),
    );
    const xfo = withDefault.modifiers.find((m) => m.test === 'x-frame-options');
    expect(xfo).toMatchObject({ result: 'x-frame-options-not-implemented', modifier: -20 });
    expect(xfo?.note).toMatch(/frame-ancestors d’une politique <meta> ignoré/);
  });

  it('never reads X-Frame-Options, CORP or Content-Security-Policy-Report-Only from <meta>', () => {
    const g = grade(
      noCspNoXfo,
      '<meta http-equiv="X-Frame-Options" content="DENY">' +
        '<meta http-equiv="Cross-Origin-Resource-Policy" content="same-origin">' +
        `<meta http-equiv="Content-Security-Policy-Report-Only" content="default-src 'none'">`,
    );
    expect(g['x-frame-options']).toEqual(['x-frame-options-not-implemented', -20]);
    expect(g['cross-origin-resource-policy']).toEqual(['corp-not-implemented', 0]);
    expect(g['content-security-policy']).toEqual(['csp-not-implemented', -25]);
  });

  it('merges header and <meta> policies as the Observatory does', () => {
    // default-src http: (header) and https: (meta) share no source: 'none' remains.
    expect(
      grade(
        headers({ 'content-security-policy': 'default-src http:', 'x-frame-options': 'DENY' }),
        '<meta http-equiv="Content-Security-Policy" content="default-src https:">',
      )['content-security-policy'],
    ).toEqual(['csp-implemented-with-no-unsafe-default-src-none', 10]);
    // Four <meta> policies: directives the first does not name end as 'none'.
    expect(
      grade(
        noCsp,
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; object-src 'none'">` +
          `<meta http-equiv="Content-SECURITY-Policy" content="connect-src 'self'">` +
          `<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'unsafe-inline' 'nonce-abc'">`,
      )['content-security-policy'],
    ).toEqual(['csp-implemented-with-no-unsafe-default-src-none', 10]);
    // A <meta> policy with a repeated directive makes the whole set invalid.
    expect(
      grade(
        headers({}),
        `<meta http-equiv="Content-Security-Policy" content="script-src 'self'; script-src 'none'">`,
      )['content-security-policy'],
    ).toEqual(['csp-header-invalid', -25]);
  });

  it('reads the referrer policy of <meta name="referrer">, after the header', () => {
    const noReferrer = headers({ 'referrer-policy': null });
    expect(
      grade(noReferrer, '<meta name="referRer" content="no-referrer, same-origin">')['referrer-policy'],
    ).toEqual(['referrer-policy-private', 5]);
    expect(
      grade(headers({ 'referrer-policy': 'no-referrer' }), '<meta name="referrer" content="unsafe-url">')[
        'referrer-policy'
      ],
    ).toEqual(['referrer-policy-unsafe', -5]);
    // http-equiv="Referrer-Policy" is no pragma browsers know: ignored.
    expect(
      grade(noReferrer, '<meta http-equiv="Referrer-Policy" content="no-referrer">')['referrer-policy'],
    ).toEqual(['referrer-policy-not-implemented', 0]);
  });

  it('reads <meta> only on a page served as HTML', () => {
    const g = table(
      gradeHttp(
        htmlPage(
          [
            ['content-type', 'text/plain'],
            ...headers({ 'content-security-policy': null, 'referrer-policy': null }),
          ],
          `<meta http-equiv="Content-Security-Policy" content="default-src 'none'"><meta name="referrer" content="no-referrer">`,
        ),
      ),
    );
    expect(g['content-security-policy']).toEqual(['csp-not-implemented', -25]);
    expect(g['referrer-policy']).toEqual(['referrer-policy-not-implemented', 0]);
  });
});

describe('gradeHttp: the Observatory’s CSP reading, quirks included', () => {
  it('lets strict-dynamic drop broad sources from default-src for object-src too', () => {
    const g = gradeHttp(
      obs(
        headers({
          'content-security-policy': "default-src 'nonce-abc' 'strict-dynamic' https:",
          'x-frame-options': 'DENY',
        }),
      ),
    );
    expect(table(g)['content-security-policy']).toEqual(['csp-implemented-with-no-unsafe', 5]);
  });

  it('counts an empty Report-Only header as no reporting', () => {
    const g = gradeHttp(
      obs(headers({ 'content-security-policy': null, 'content-security-policy-report-only': '' })),
    );
    expect(table(g)['content-security-policy']).toEqual(['csp-not-implemented', -25]);
  });
});

describe('gradeHttp: notes', () => {
  it('writes every note in French by default and in English on request', () => {
    const page = obs(headers({ 'content-security-policy': null, 'x-frame-options': 'DENY' }));
    const fr = gradeHttp(page).modifiers.find((m) => m.test === 'referrer-policy');
    const en = gradeHttp(page, { lang: 'en' }).modifiers.find((m) => m.test === 'referrer-policy');
    expect(fr?.note).toMatch(/^Referrer-Policy no-referrer, same-origin.* — bonus de \+5 non retenu/);
    expect(en?.note).toMatch(
      /^Referrer-Policy no-referrer, same-origin.* — bonus of \+5 not granted: score without bonuses 75 < 90$/,
    );
    const coopEn = gradeHttp(obs(headers({ 'cross-origin-opener-policy': '"same-origin"' })), { lang: 'en' });
    expect(coopEn.modifiers.find((m) => m.test === 'cross-origin-opener-policy')?.note).toBe(
      'unreadable Cross-Origin-Opener-Policy (unknown value, wrong case, quotes or repeated header) — "same-origin"',
    );
  });
});

describe('docs/http-grade.md', () => {
  it('lists every result with the modifier the grade applies, and the scoring version', () => {
    const doc = fs.readFileSync(new URL('../../docs/http-grade.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z0-9-]+)` \| ([+-]?\d+) \|$/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(rows)).toEqual(HTTP_GRADE_POINTS);
    expect(rows).toHaveLength(Object.keys(HTTP_GRADE_POINTS).length);
    expect(doc).toContain(`**\`${HTTP_SCORING_VERSION}\`**`);
    expect(HTTP_SCORING_VERSION).toBe('observatory-6+vigie-3');
  });
});
