import { parse as parseDomain } from 'tldts';
import { parseItem, Token } from 'structured-headers';
import { CORS_TEST_ORIGIN, parseSetCookie, redirectTarget, type SetCookie } from '../domain/http-headers.js';
import {
  DIRECTIVES_DISALLOWED_IN_META,
  HTML_TYPES,
  headerValue,
  headerValues,
  metaPolicies,
  observatoryMimeType,
  type HttpObservation,
  type HttpResponseFacts,
  type Outcome,
} from '../domain/index.js';
import { t, type Lang, type MessageKey, type Params } from '../i18n/index.js';
import { DUPLICATES_KEY, parseObservatoryCsp, type ObservatoryCsp } from './observatory-csp.js';

/**
 * HTTP grade of one web endpoint after the MDN HTTP Observatory, algorithm version 6, as of
 * revision 94042bbfbf9f1af722ad9114ada6d271dcb525b9 of mdn/mdn-http-observatory (20 August 2026;
 * COOP and COEP were added by 2d230d2, the X-Frame-Options re-score of algorithm 5 by 102df60):
 * - modifiers, results and grade chart: src/grader/charts.js (SCORE_TABLE, GRADE_CHART,
 *   MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90) and src/scanner/index.js (bonuses only when the score
 *   without them is ≥ 90, floor at 0);
 * - the tests themselves: src/analyzer/tests/*.js, src/analyzer/cspParser.js, the `<meta>` reading
 *   of src/retriever/utils.js, with the expectations of test/*.test.js;
 * - documented in docs/http-grade.md, with every place where vigie differs.
 * Differences, each said in the modifier's note when it applies: the redirection test needs the
 * plain-HTTP observation (absent: not evaluated); certificate validity is the TLS grade's business
 * (the `*-invalid-cert` results are never given); the HSTS preload list is not consulted; a
 * `frame-ancestors` given in `<meta>` does not count for X-Frame-Options (browsers ignore it
 * there); the page is read up to the probe's body limit (no SRI bonus on a truncated page); a
 * script URL that cannot be parsed counts as loaded insecurely instead of stopping the scan.
 */
export const HTTP_SCORING_VERSION = 'observatory-6+vigie-3';

export interface HttpGradeModifier {
  /** Observatory test name: `content-security-policy`, `cookies`, … */
  test: string;
  /** Observatory result name: `csp-not-implemented`, `hsts-implemented-max-age-less-than-six-months`, … */
  result: string;
  /** Points actually applied (a bonus is 0 when the score without bonuses is below 90). */
  modifier: number;
  note: string;
}

export interface HttpGradeResult {
  score: number;
  grade: string;
  scoringVersion: string;
  modifiers: HttpGradeModifier[];
}

export interface GradeHttpOptions {
  /** The HSTS preload list is not consulted. */
  hstsPreloaded?: false;
  /**
   * For an HTTPS endpoint, what plain HTTP on the same host answered (the Observatory's redirection
   * test). Absent: the redirection test is not evaluated. An error outcome: HTTP does not answer.
   */
  plainHttp?: Outcome<HttpObservation>;
  /** Language of the notes; French by default. */
  lang?: Lang;
}

/**
 * Observatory results → points (SCORE_TABLE of charts.js). The message explaining each is
 * `http-grade.<result>` of the catalogues (the type makes a missing one a compile error).
 */
const POINTS = {
  // content-security-policy
  'csp-implemented-with-no-unsafe-default-src-none': 10,
  'csp-implemented-with-no-unsafe': 5,
  'csp-implemented-with-unsafe-inline-in-style-src-only': 0,
  'csp-implemented-but-duplicate-directives': 0,
  'csp-implemented-with-insecure-scheme-in-passive-content-only': -10,
  'csp-implemented-with-unsafe-eval': -10,
  'csp-implemented-with-unsafe-inline': -20,
  'csp-implemented-with-insecure-scheme': -20,
  'csp-header-invalid': -25,
  'csp-not-implemented': -25,
  'csp-not-implemented-but-reporting-enabled': -25,
  // cookies
  'cookies-secure-with-httponly-sessions-and-samesite': 5,
  'cookies-secure-with-httponly-sessions': 0,
  'cookies-not-found': 0,
  'cookies-without-secure-flag-but-protected-by-hsts': -5,
  'cookies-session-without-secure-flag-but-protected-by-hsts': -10,
  'cookies-without-secure-flag': -20,
  'cookies-samesite-flag-invalid': -20,
  'cookies-anticsrf-without-samesite-flag': -20,
  'cookies-session-without-httponly-flag': -30,
  'cookies-session-without-secure-flag': -40,
  // cross-origin-embedder-policy
  'coep-implemented-with-require-corp': 10,
  'coep-implemented-with-credentialless': 10,
  'coep-implemented-with-unsafe-none': 0,
  'coep-not-implemented': 0,
  'coep-header-invalid': -5,
  // cross-origin-opener-policy
  'coop-implemented-with-same-origin': 10,
  'coop-implemented-with-same-origin-allow-popups': 10,
  'coop-implemented-with-noopener-allow-popups': 10,
  'coop-implemented-with-unsafe-none': 0,
  'coop-not-implemented': 0,
  'coop-header-invalid': -5,
  // cross-origin-resource-sharing
  'cross-origin-resource-sharing-not-implemented': 0,
  'cross-origin-resource-sharing-implemented-with-public-access': 0,
  'cross-origin-resource-sharing-implemented-with-restricted-access': 0,
  'cross-origin-resource-sharing-implemented-with-universal-access': -50,
  // redirection
  'redirection-to-https': 0,
  'redirection-not-needed-no-http': 0,
  'redirection-off-host-from-http': -5,
  'redirection-not-to-https-on-initial-redirection': -10,
  'redirection-not-to-https': -20,
  'redirection-missing': -20,
  // referrer-policy
  'referrer-policy-private': 5,
  'referrer-policy-not-implemented': 0,
  'referrer-policy-unsafe': -5,
  'referrer-policy-header-invalid': -5,
  // strict-transport-security
  'hsts-implemented-max-age-at-least-six-months': 0,
  'hsts-implemented-max-age-less-than-six-months': -10,
  'hsts-not-implemented': -20,
  'hsts-header-invalid': -20,
  'hsts-not-implemented-no-https': -20,
  // subresource-integrity
  'sri-implemented-and-all-scripts-loaded-securely': 5,
  'sri-implemented-and-external-scripts-loaded-securely': 5,
  'sri-not-implemented-response-not-html': 0,
  'sri-not-implemented-but-no-scripts-loaded': 0,
  'sri-not-implemented-but-all-scripts-loaded-from-secure-origin': 0,
  'sri-not-implemented-but-external-scripts-loaded-securely': -5,
  'sri-implemented-but-external-scripts-not-loaded-securely': -20,
  'sri-not-implemented-and-external-scripts-not-loaded-securely': -50,
  // x-content-type-options
  'x-content-type-options-nosniff': 0,
  'x-content-type-options-not-implemented': -5,
  'x-content-type-options-header-invalid': -5,
  // x-frame-options (re-scored in algorithm 5: DENY / SAMEORIGIN earn 5)
  'x-frame-options-implemented-via-csp': 5,
  'x-frame-options-sameorigin-or-deny': 5,
  'x-frame-options-allow-from-origin': 0,
  'x-frame-options-not-implemented': -20,
  'x-frame-options-header-invalid': -20,
  // cross-origin-resource-policy
  'corp-not-implemented': 0,
  'corp-implemented-with-same-origin': 10,
  'corp-implemented-with-same-site': 10,
  'corp-implemented-with-cross-origin': 0,
  'corp-header-invalid': -5,
} as const satisfies Record<string, number>;
type ScoredResult = keyof typeof POINTS;

const isScored = (result: string): result is ScoredResult => Object.hasOwn(POINTS, result);
const resultNote = (result: ScoredResult): MessageKey => `http-grade.${result}`;

/** Points of each Observatory result (docs/http-grade.md lists them; a test keeps both in step). */
export const HTTP_GRADE_POINTS: Readonly<Record<string, number>> = POINTS;

/** Grade chart of the Observatory (GRADE_CHART, by steps of 5 points). */
const GRADES: readonly [number, string][] = [
  [100, 'A+'],
  [90, 'A'],
  [85, 'A-'],
  [80, 'B+'],
  [70, 'B'],
  [65, 'B-'],
  [60, 'C+'],
  [50, 'C'],
  [45, 'C-'],
  [40, 'D+'],
  [30, 'D'],
  [25, 'D-'],
];
const MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90;

export function letterGrade(score: number): string {
  return GRADES.find(([min]) => score >= min)?.[1] ?? 'F';
}

/** Part of a note: an observed value as is, or a sentence of the message catalogue. */
type Detail = string | { key: MessageKey; params?: Params };

interface TestResult {
  test: string;
  result: string;
  /** Added to the table's note (what was observed, or why the test was not evaluated). */
  details?: Detail[];
  /** Points given instead of the table's (a test not evaluated, a bonus withheld). */
  points?: number;
}

/** What the tests read of the page, computed once. */
interface Page {
  obs: HttpObservation;
  response: HttpResponseFacts;
  /** The URL first requested was HTTPS (the Observatory's session URL). */
  https: boolean;
  meta: { csp: string[]; referrer: string[] };
}

// --------------------------------------------------------------------- content-security-policy

const DANGEROUSLY_BROAD = new Set([
  'ftp:',
  'http:',
  'https:',
  '*',
  'http://*',
  'http://*.*',
  'https://*',
  'https://*.*',
]);
const BROAD_OR_INLINE = new Set([...DANGEROUSLY_BROAD, "'unsafe-inline'", 'data:']);
const PASSIVE_DIRECTIVES = ['img-src', 'media-src'];
const NONCES_HASHES = ["'sha256-", "'sha384-", "'sha512-", "'nonce-"];
const startsWithNonceOrHash = (sources: Iterable<string>): boolean =>
  [...sources].some((s) => NONCES_HASHES.some((p) => s.startsWith(p)));
/** RFC 9110 § 5.3 lets fields be combined with commas; CSP3 § 2.2 makes commas separate policies. */
const splitPolicies = (values: readonly string[]): string[] =>
  values.flatMap((v) => v.split(',').map((p) => p.trim()));

interface CspOutcome {
  result: TestResult;
  /** frame-ancestors given in a header policy (what the X-Frame-Options test reads). */
  frameAncestors: boolean;
  /** frame-ancestors given only in a `<meta>` policy (ignored, and said so). */
  metaFrameAncestorsIgnored: boolean;
}

/**
 * The Observatory's CSP test: header and `<meta http-equiv>` policies merged (cspParser.js), the
 * meta policies counting as "implemented" only for the directives allowed there.
 */
function cspTest(page: Page): CspOutcome {
  const test = 'content-security-policy';
  const httpPolicies = splitPolicies(headerValues(page.response, 'content-security-policy'));
  const metaPolicyList = splitPolicies(page.meta.csp);
  const details: Detail[] =
    metaPolicyList.length > 0
      ? [
          {
            key: 'http-grade.detail.csp-meta',
            params: { header: httpPolicies.length, meta: metaPolicyList.length },
          },
        ]
      : [];
  const notReached = (result: string): CspOutcome => ({
    result: { test, result, details },
    frameAncestors: false,
    metaFrameAncestorsIgnored: false,
  });

  const csp = parseObservatoryCsp([...httpPolicies, ...metaPolicyList]);
  if (!csp) return notReached('csp-header-invalid');
  const headerOnly = parseObservatoryCsp(httpPolicies) ?? new Map<string, Set<string>>();
  const metaOnly = parseObservatoryCsp(metaPolicyList) ?? new Map<string, Set<string>>();
  for (const directive of DIRECTIVES_DISALLOWED_IN_META) metaOnly.delete(directive);
  if (headerOnly.size + metaOnly.size === 0) {
    // Report-Only is a header only; an empty one counts as absent, as the Observatory reads it.
    const reportOnly = headerValue(page.response, 'content-security-policy-report-only');
    return notReached(reportOnly ? 'csp-not-implemented-but-reporting-enabled' : 'csp-not-implemented');
  }
  const result = evaluateCsp(csp, page.https);
  return {
    result: { test, result, details },
    frameAncestors: headerOnly.has('frame-ancestors'),
    metaFrameAncestorsIgnored: !headerOnly.has('frame-ancestors') && csp.has('frame-ancestors'),
  };
}

/**
 * The result of a merged policy. The source lists are the map's own sets, as in the Observatory:
 * removing a source from script-src when it falls back to default-src removes it from default-src
 * (and from object-src and style-src falling back to it) too.
 */
function evaluateCsp(csp: ObservatoryCsp, https: boolean): string {
  const fallback = (d: string): Set<string> => csp.get(d) ?? csp.get('default-src') ?? new Set(['*']);
  const object = fallback('object-src');
  const script = fallback('script-src');
  const style = fallback('style-src');

  for (const list of [script, style]) {
    if (startsWithNonceOrHash(list) && list.has("'unsafe-inline'")) list.delete("'unsafe-inline'");
  }
  let result: string | undefined;
  if (startsWithNonceOrHash(script) && script.has("'strict-dynamic'")) {
    // 'strict-dynamic' with a nonce or hash: schemes, 'self' and 'unsafe-inline' are ignored.
    for (const s of script) {
      if ([...DANGEROUSLY_BROAD].some((b) => s.startsWith(b)) || s === "'self'" || s === "'unsafe-inline'") {
        script.delete(s);
      }
    }
  } else if (script.has("'strict-dynamic'")) {
    result = 'csp-header-invalid';
  }

  const active = [
    ...[...csp]
      .filter(([d]) => !PASSIVE_DIRECTIVES.includes(d) && d !== 'script-src')
      .flatMap(([, sources]) => [...sources]),
    ...script,
  ];
  const passive = PASSIVE_DIRECTIVES.flatMap((d) => [...(csp.get(d) ?? csp.get('default-src') ?? [])]);
  const insecure = (s: string): boolean => s.startsWith('http:') || s.startsWith('ftp:');

  if ([...script].some((s) => BROAD_OR_INLINE.has(s)) || [...object].some((s) => DANGEROUSLY_BROAD.has(s))) {
    result ??= 'csp-implemented-with-unsafe-inline';
  }
  if (https && active.some(insecure)) result ??= 'csp-implemented-with-insecure-scheme';
  if (script.has("'unsafe-eval'") || style.has("'unsafe-eval'"))
    result ??= 'csp-implemented-with-unsafe-eval';
  if (https && passive.some(insecure))
    result ??= 'csp-implemented-with-insecure-scheme-in-passive-content-only';
  if ([...style].some((s) => BROAD_OR_INLINE.has(s)))
    result ??= 'csp-implemented-with-unsafe-inline-in-style-src-only';
  const defaultSrc = csp.get('default-src');
  if (defaultSrc?.has("'none'") && defaultSrc.size === 1)
    result ??= 'csp-implemented-with-no-unsafe-default-src-none';
  result ??= 'csp-implemented-with-no-unsafe';

  const passing = [
    'csp-implemented-with-no-unsafe',
    'csp-implemented-with-no-unsafe-default-src-none',
    'csp-implemented-with-unsafe-inline-in-style-src-only',
    'csp-implemented-with-insecure-scheme-in-passive-content-only',
  ];
  if (passing.includes(result) && csp.has(DUPLICATES_KEY)) return 'csp-implemented-but-duplicate-directives';
  return result;
}

// ---------------------------------------------------------------------------------- HSTS

const SIX_MONTHS = 15_552_000;

function hstsTest(page: HttpResponseFacts): TestResult {
  const test = 'strict-transport-security';
  if (!page.url.startsWith('https:')) return { test, result: 'hsts-not-implemented-no-https' };
  const value = headerValue(page, 'strict-transport-security');
  if (value === undefined) return { test, result: 'hsts-not-implemented' };
  const header = value.slice(0, 1024);
  // Several fields (joined with commas) are refused, as the Observatory does.
  if (header.includes(','))
    return { test, result: 'hsts-header-invalid', details: [{ key: 'http-grade.detail.repeated' }] };
  let maxAge: number | undefined;
  for (const p of header.split(';').map((s) => s.trim().toLowerCase())) {
    if (p.startsWith('max-age=')) maxAge = Number.parseInt(p.slice(8, 128), 10);
  }
  // The Observatory lets a non-numeric max-age through (NaN); vigie calls it invalid.
  if (maxAge === undefined || Number.isNaN(maxAge)) return { test, result: 'hsts-header-invalid' };
  return {
    test,
    result:
      maxAge < SIX_MONTHS
        ? 'hsts-implemented-max-age-less-than-six-months'
        : 'hsts-implemented-max-age-at-least-six-months',
    details: [`max-age=${maxAge}`],
  };
}

// ------------------------------------------------------------------------------- cookies

const COOKIE_ORDER = [
  'cookies-without-secure-flag-but-protected-by-hsts',
  'cookies-without-secure-flag',
  'cookies-session-without-secure-flag-but-protected-by-hsts',
  'cookies-samesite-flag-invalid',
  'cookies-anticsrf-without-samesite-flag',
  'cookies-session-without-httponly-flag',
  'cookies-session-without-secure-flag',
];

/** Of `next` and `current`, the one later in `order` (onlyIfWorse of the Observatory); `next` when there is no current one. */
const worseIn =
  (order: readonly string[]) =>
  (next: string, current: string | undefined): string =>
    current === undefined || order.indexOf(next) > order.indexOf(current) ? next : current;

const worse = worseIn(COOKIE_ORDER);

function invalidSameSite(field: string): boolean {
  for (const part of field.trim().split(';')) {
    const [key = '', value] = part.trim().split('=');
    if (key.trim().toLowerCase() !== 'samesite') continue;
    if (!value || !['lax', 'strict', 'none'].includes(value.trim().toLowerCase())) return true;
  }
  return false;
}

function cookiesTest(obs: HttpObservation, page: HttpResponseFacts, hsts: TestResult): TestResult {
  const test = 'cookies';
  const hstsPasses = hsts.result === 'hsts-implemented-max-age-at-least-six-months';
  let result: string | undefined;
  for (const field of headerValues(page, 'set-cookie')) {
    if (invalidSameSite(field)) result = worse('cookies-samesite-flag-invalid', result);
  }
  // The cookie jar of the whole chain: a cookie set again replaces the earlier one.
  const jar = new Map<string, SetCookie>();
  for (const r of obs.chain) {
    for (const field of headerValues(r, 'set-cookie')) {
      const c = parseSetCookie(field);
      // heroku-session-affinity is ignored by the Observatory (mozilla/http-observatory#282).
      if (c.name && c.name !== 'heroku-session-affinity') jar.set(c.name, c);
    }
  }
  if (jar.size === 0) return { test, result: 'cookies-not-found' };
  let missingSameSite = false;
  for (const c of jar.values()) {
    const name = c.name.toLowerCase();
    const session = name.includes('login') || name.includes('sess');
    const antiCsrf = name.includes('csrf');
    if (!c.secure && c.sameSite?.toLowerCase() === 'none')
      result = worse('cookies-samesite-flag-invalid', result);
    if (!c.secure) {
      result = worse(
        hstsPasses ? 'cookies-without-secure-flag-but-protected-by-hsts' : 'cookies-without-secure-flag',
        result,
      );
    }
    if (antiCsrf && !c.sameSite) result = worse('cookies-anticsrf-without-samesite-flag', result);
    if (session && !c.secure) {
      result = worse(
        hstsPasses
          ? 'cookies-session-without-secure-flag-but-protected-by-hsts'
          : 'cookies-session-without-secure-flag',
        result,
      );
    }
    if (session && !c.httpOnly) result = worse('cookies-session-without-httponly-flag', result);
    if (!c.sameSite) missingSameSite = true;
  }
  result ??= missingSameSite
    ? 'cookies-secure-with-httponly-sessions'
    : 'cookies-secure-with-httponly-sessions-and-samesite';
  return { test, result, details: [[...jar.keys()].join(', ')] };
}

// ---------------------------------------------------------------------------- CORS, redirection

function corsTest(obs: HttpObservation): TestResult {
  const test = 'cross-origin-resource-sharing';
  const cors = obs.cors;
  if (cors?.status !== 'observed') {
    return {
      test,
      result: 'cross-origin-resource-sharing-not-implemented',
      details: [{ key: 'http-grade.detail.cors-not-observed' }],
    };
  }
  const allowOrigin = headerValue(cors.value, 'access-control-allow-origin');
  if (allowOrigin === undefined) return { test, result: 'cross-origin-resource-sharing-not-implemented' };
  const credentials = headerValue(cors.value, 'access-control-allow-credentials');
  if (allowOrigin.slice(0, 256).trim().toLowerCase() === '*') {
    return { test, result: 'cross-origin-resource-sharing-implemented-with-public-access' };
  }
  const reflected = allowOrigin === CORS_TEST_ORIGIN && credentials?.trim().toLowerCase() === 'true';
  return {
    test,
    result: reflected
      ? 'cross-origin-resource-sharing-implemented-with-universal-access'
      : 'cross-origin-resource-sharing-implemented-with-restricted-access',
    details: [`Access-Control-Allow-Origin: ${allowOrigin}`],
  };
}

/** The route plain HTTP takes: each URL requested, then where an unfollowed redirect pointed. */
function route(chain: readonly HttpResponseFacts[]): URL[] {
  const urls = chain.map((r) => new URL(r.url));
  const last = chain[chain.length - 1];
  const next = last ? redirectTarget(last) : undefined;
  if (next) urls.push(next);
  return urls;
}

function redirectionTest(obs: HttpObservation, plainHttp: Outcome<HttpObservation> | undefined): TestResult {
  const test = 'redirection';
  const plain: Outcome<HttpObservation> | undefined =
    obs.scheme === 'http' ? { status: 'observed', value: obs } : plainHttp;
  if (!plain || plain.status === 'skipped') {
    return {
      test,
      result: 'not-evaluated',
      points: 0,
      details: [{ key: 'http-grade.detail.redirection-not-evaluated' }],
    };
  }
  if (plain.status === 'error')
    return { test, result: 'redirection-not-needed-no-http', details: [plain.reason] };
  const r = route(plain.value.chain);
  const details = [r.map((u) => u.href).join(' → ')];
  if (r.length <= 1) return { test, result: 'redirection-missing', details };
  if (r[r.length - 1]?.protocol !== 'https:') return { test, result: 'redirection-not-to-https', details };
  if (r[1]?.protocol === 'http:')
    return { test, result: 'redirection-not-to-https-on-initial-redirection', details };
  if (r[0]?.protocol === 'http:' && r[1]?.protocol === 'https:' && r[0].hostname !== r[1].hostname) {
    return { test, result: 'redirection-off-host-from-http', details };
  }
  return { test, result: 'redirection-to-https', details };
}

// ------------------------------------------------------------------------------ referrer-policy

const GOOD_REFERRER = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];
const BAD_REFERRER = ['origin', 'origin-when-cross-origin', 'unsafe-url', 'no-referrer-when-downgrade'];

/** Header fields, then `<meta name="referrer">`: the last recognised token wins. */
function referrerTest(page: Page): TestResult {
  const test = 'referrer-policy';
  const values = [...headerValues(page.response, 'referrer-policy'), ...page.meta.referrer];
  if (values.length === 0) return { test, result: 'referrer-policy-not-implemented' };
  const value = values.join(', ');
  const policy = value
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => GOOD_REFERRER.includes(token) || BAD_REFERRER.includes(token))
    .pop();
  const result = !policy
    ? 'referrer-policy-header-invalid'
    : GOOD_REFERRER.includes(policy)
      ? 'referrer-policy-private'
      : 'referrer-policy-unsafe';
  const [metaValue] = page.meta.referrer;
  return {
    test,
    result,
    details:
      metaValue === undefined
        ? [value]
        : [
            ...headerValues(page.response, 'referrer-policy'),
            { key: 'http-grade.detail.referrer-meta', params: { value: metaValue } },
          ],
  };
}

// ------------------------------------------------------------------ the single-header tests

function xctoTest(page: HttpResponseFacts): TestResult {
  const test = 'x-content-type-options';
  const value = headerValue(page, 'x-content-type-options');
  if (value === undefined) return { test, result: 'x-content-type-options-not-implemented' };
  return {
    test,
    result:
      value.slice(0, 256).trim().toLowerCase() === 'nosniff'
        ? 'x-content-type-options-nosniff'
        : 'x-content-type-options-header-invalid',
  };
}

/** X-Frame-Options in a header only (never from `<meta>`); a header frame-ancestors supersedes it. */
function xfoTest(page: HttpResponseFacts, csp: CspOutcome): TestResult {
  const test = 'x-frame-options';
  if (csp.frameAncestors) return { test, result: 'x-frame-options-implemented-via-csp' };
  const ignored: Detail[] = csp.metaFrameAncestorsIgnored
    ? [{ key: 'http-grade.detail.meta-frame-ancestors' }]
    : [];
  const value = headerValue(page, 'x-frame-options')?.slice(0, 1024).trim().toLowerCase();
  if (value === undefined || value === '')
    return { test, result: 'x-frame-options-not-implemented', details: ignored };
  if (value === 'deny' || value === 'sameorigin')
    return { test, result: 'x-frame-options-sameorigin-or-deny', details: ignored };
  if (value.startsWith('allow-from'))
    return { test, result: 'x-frame-options-allow-from-origin', details: ignored };
  return { test, result: 'x-frame-options-header-invalid', details: ignored };
}

function corpTest(page: HttpResponseFacts): TestResult {
  const test = 'cross-origin-resource-policy';
  const value = headerValue(page, 'cross-origin-resource-policy')?.slice(0, 256).trim().toLowerCase();
  if (!value) return { test, result: 'corp-not-implemented' };
  const known: Record<string, string> = {
    'same-site': 'corp-implemented-with-same-site',
    'same-origin': 'corp-implemented-with-same-origin',
    'cross-origin': 'corp-implemented-with-cross-origin',
  };
  return { test, result: Object.hasOwn(known, value) ? (known[value] ?? '') : 'corp-header-invalid' };
}

/** The bare token of an RFC 8941 structured-field item (parameters such as report-to allowed), else undefined. */
function structuredToken(value: string): string | undefined {
  try {
    // Typed loosely: the library's BareItem names DOM's BufferSource, which Node's types lack.
    const parsed: readonly unknown[] = parseItem(value);
    const item = parsed[0];
    return item instanceof Token ? item.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * COOP and COEP as the HTML standard parses them, and the Observatory with it: one header field
 * holding a structured-field token (case matters: `Same-Origin` is not `same-origin`; a quoted
 * string is not a token), parameters such as `report-to` allowed; two fields are invalid.
 */
function crossOriginPolicyTest(
  page: HttpResponseFacts,
  header: string,
  test: string,
  prefix: 'coop' | 'coep',
  values: ReadonlyMap<string, string>,
): TestResult {
  const fields = headerValues(page, header);
  if (fields.length > 1)
    return {
      test,
      result: `${prefix}-header-invalid`,
      details: [{ key: 'http-grade.detail.repeated' }, fields.join(' | ')],
    };
  const [field] = fields;
  if (!field) return { test, result: `${prefix}-not-implemented` };
  const value = field.slice(0, 1024).trim();
  const token = structuredToken(value);
  const result = token === undefined ? undefined : values.get(token);
  return { test, result: result ?? `${prefix}-header-invalid`, details: [value] };
}

const coopTest = (page: HttpResponseFacts): TestResult =>
  crossOriginPolicyTest(
    page,
    'cross-origin-opener-policy',
    'cross-origin-opener-policy',
    'coop',
    new Map([
      ['same-origin', 'coop-implemented-with-same-origin'],
      ['same-origin-allow-popups', 'coop-implemented-with-same-origin-allow-popups'],
      ['noopener-allow-popups', 'coop-implemented-with-noopener-allow-popups'],
      ['unsafe-none', 'coop-implemented-with-unsafe-none'],
    ]),
  );

const coepTest = (page: HttpResponseFacts): TestResult =>
  crossOriginPolicyTest(
    page,
    'cross-origin-embedder-policy',
    'cross-origin-embedder-policy',
    'coep',
    new Map([
      ['require-corp', 'coep-implemented-with-require-corp'],
      ['credentialless', 'coep-implemented-with-credentialless'],
      ['unsafe-none', 'coep-implemented-with-unsafe-none'],
    ]),
  );

// ------------------------------------------------------------------ subresource-integrity

/**
 * Order in which a later script's result replaces the current one (onlyIfWorse of the Observatory:
 * a result later in this list wins; one not in it, such as all-scripts-loaded-securely, always loses).
 */
const SRI_ORDER = [
  'sri-implemented-and-all-scripts-loaded-securely',
  'sri-implemented-and-external-scripts-loaded-securely',
  'sri-implemented-but-external-scripts-not-loaded-securely',
  'sri-not-implemented-but-external-scripts-loaded-securely',
  'sri-not-implemented-and-external-scripts-not-loaded-securely',
  'sri-not-implemented-response-not-html',
];
const worseSri = worseIn(SRI_ORDER);

const PROTOCOL_RELATIVE = /^(\/\/)[^/]/;
const ABSOLUTE_HTTP = /^https?:\/\//;

function schemeOf(src: string): string | undefined {
  try {
    return new URL(src).protocol;
  } catch {
    return undefined;
  }
}

/**
 * The Observatory's SRI test over the page's `<script>` elements: a script is the site's own when
 * its URL is relative, or absolute on the same registrable domain (Public Suffix List, via tldts);
 * a protocol-relative URL (`//host/…`) counts as foreign and not loaded securely; an `http:` URL
 * is not loaded securely; a relative URL is secure when the page was requested over HTTPS.
 */
function sriTest(page: Page): TestResult {
  const test = 'subresource-integrity';
  const html = page.response.html;
  if (!html) {
    return {
      test,
      result: 'not-evaluated',
      points: 0,
      details: [{ key: 'http-grade.detail.sri-not-evaluated' }],
    };
  }
  const mime = observatoryMimeType(page.response) ?? '';
  if (mime && !HTML_TYPES.has(mime)) return { test, result: 'sri-not-implemented-response-not-html' };

  const siteDomain = parseDomain(new URL(page.obs.url).hostname).domain;
  let result: string | undefined;
  let foreignScripts = false;
  const external: string[] = [];
  for (const script of html.scripts) {
    const src = script.src;
    if (!src) continue;
    const integrity = Boolean(script.integrity);
    const relativeProtocol = PROTOCOL_RELATIVE.test(src);
    const absolute = !relativeProtocol && ABSOLUTE_HTTP.test(src);
    const relativeOrigin = !relativeProtocol && !absolute;
    const sameDomain = absolute ? parseDomain(src).domain === siteDomain : true;
    const ownOrigin = relativeOrigin || (sameDomain && !relativeProtocol);
    const secureScheme = (absolute && schemeOf(src) === 'https:') || (relativeOrigin && page.https);
    if (ownOrigin) {
      // A bonus even for the site's own scripts, when they carry an integrity.
      if (integrity && secureScheme && result === undefined)
        result = 'sri-implemented-and-all-scripts-loaded-securely';
      continue;
    }
    foreignScripts = true;
    external.push(`${src}${integrity ? ' (integrity)' : ''}`);
    if (integrity && !secureScheme)
      result = worseSri('sri-implemented-but-external-scripts-not-loaded-securely', result);
    else if (!integrity && secureScheme)
      result = worseSri('sri-not-implemented-but-external-scripts-loaded-securely', result);
    else if (!integrity)
      result = worseSri('sri-not-implemented-and-external-scripts-not-loaded-securely', result);
  }
  if (html.scripts.length === 0) result = 'sri-not-implemented-but-no-scripts-loaded';
  result ??= foreignScripts
    ? 'sri-implemented-and-external-scripts-loaded-securely'
    : 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin';

  const details: Detail[] =
    external.length > 0
      ? [{ key: 'http-grade.detail.sri-scripts', params: { scripts: external.slice(0, 5).join(', ') } }]
      : [];
  // What lies past the read limit was not seen: no bonus for it (a penalty seen stands).
  if (page.response.bodyTruncated || html.truncated) {
    const points = Math.min(0, isScored(result) ? POINTS[result] : 0);
    return { test, result, points, details: [...details, { key: 'http-grade.detail.sri-truncated' }] };
  }
  return { test, result, details };
}

// ------------------------------------------------------------------------------ the grade

/**
 * Grades the page of a web endpoint (the last response of its chain) with the Observatory's
 * modifiers: start at 100, add penalties, add bonuses only if the score without them is ≥ 90,
 * floor at 0, then the grade chart. Every test is listed with the points it actually gave, in the
 * Observatory's order.
 */
export function gradeHttp(obs: HttpObservation, opts: GradeHttpOptions = {}): HttpGradeResult {
  const lang = opts.lang ?? 'fr';
  const response = obs.chain[obs.chain.length - 1];
  if (!response) {
    return {
      score: 0,
      grade: 'F',
      scoringVersion: HTTP_SCORING_VERSION,
      modifiers: [
        { test: 'http', result: 'no-response', modifier: 0, note: t(lang, 'http-grade.detail.no-response') },
      ],
    };
  }
  const page: Page = { obs, response, https: obs.scheme === 'https', meta: metaPolicies(response) };
  const csp = cspTest(page);
  const hsts = hstsTest(response);
  const results: TestResult[] = [
    csp.result,
    cookiesTest(obs, response, hsts),
    coepTest(response),
    coopTest(response),
    corsTest(obs),
    redirectionTest(obs, opts.plainHttp),
    referrerTest(page),
    hsts,
    sriTest(page),
    xctoTest(response),
    xfoTest(response, csp),
    corpTest(response),
  ];
  const points = (r: TestResult): number => r.points ?? (isScored(r.result) ? POINTS[r.result] : 0);
  const penalties = results.reduce((sum, r) => sum + Math.min(0, points(r)), 0);
  const bonuses = results.reduce((sum, r) => sum + Math.max(0, points(r)), 0);
  const withoutBonus = 100 + penalties;
  const bonusApplies = withoutBonus >= MINIMUM_SCORE_FOR_EXTRA_CREDIT;
  const score = Math.max(0, bonusApplies ? withoutBonus + bonuses : withoutBonus);
  const text = (d: Detail): string => (typeof d === 'string' ? d : t(lang, d.key, d.params));
  const modifiers = results.map((r): HttpGradeModifier => {
    const p = points(r);
    const held = p > 0 && !bonusApplies;
    const notes = [
      ...(isScored(r.result) ? [t(lang, resultNote(r.result))] : []),
      ...(r.details ?? []).map(text),
      ...(held
        ? [
            t(lang, 'http-grade.detail.bonus-held', {
              points: p,
              score: withoutBonus,
              minimum: MINIMUM_SCORE_FOR_EXTRA_CREDIT,
            }),
          ]
        : []),
    ].filter((n) => n !== '');
    return { test: r.test, result: r.result, modifier: held ? 0 : p, note: notes.join(' — ') };
  });
  return { score, grade: letterGrade(score), scoringVersion: HTTP_SCORING_VERSION, modifiers };
}
