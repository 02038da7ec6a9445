import { describe, expect, it } from 'vitest';
import type { HttpObservation, HttpResponseFacts, Outcome } from '../../src/domain/index.js';
import {
  gradeHttp,
  HTTP_SCORING_VERSION,
  letterGrade,
  type HttpGradeResult,
} from '../../src/grading/index.js';

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
    ).toEqual(['x-frame-options-sameorigin-or-deny', 0]);
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
