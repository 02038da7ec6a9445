import { CORS_TEST_ORIGIN, parseSetCookie, redirectTarget, type SetCookie } from '../domain/http-headers.js';
import {
  headerValue,
  headerValues,
  type HttpObservation,
  type HttpResponseFacts,
  type Outcome,
} from '../domain/index.js';

/**
 * HTTP grade of one web endpoint after the MDN HTTP Observatory (algorithm version 4):
 * - modifiers, results and grade chart: mdn/mdn-http-observatory, src/grader/charts.js (SCORE_TABLE,
 *   GRADE_CHART, MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90) and src/scanner/index.js (bonuses only when
 *   the score without them is ≥ 90, floor at 0);
 * - the tests themselves: src/analyzer/tests/*.js of the same repository;
 * - documented at https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring.
 * Differences, each listed in the modifiers when it applies: Subresource Integrity is not evaluated
 * (vigie does not parse the HTML), nor `<meta http-equiv>` policies; certificate validity is the TLS
 * grade's business (the Observatory's `*-invalid-cert` results are never given); the HSTS preload
 * list is not consulted; several CSP policies are merged by intersecting the directives they share.
 */
export const HTTP_SCORING_VERSION = 'observatory-4+vigie-1';

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
}

/** Observatory results → points, with the note shown to users (SCORE_TABLE of charts.js). */
const TABLE: Record<string, { points: number; note: string }> = {
  // content-security-policy
  'csp-implemented-with-no-unsafe-default-src-none': {
    points: 10,
    note: "CSP sans 'unsafe-inline' ni 'unsafe-eval', avec default-src 'none'",
  },
  'csp-implemented-with-no-unsafe': { points: 5, note: "CSP sans 'unsafe-inline' ni 'unsafe-eval'" },
  'csp-implemented-with-unsafe-inline-in-style-src-only': {
    points: 0,
    note: 'CSP dont seul style-src autorise des sources dangereuses',
  },
  'csp-implemented-but-duplicate-directives': {
    points: 0,
    note: 'CSP correcte mais avec des directives en double',
  },
  'csp-implemented-with-insecure-scheme-in-passive-content-only': {
    points: -10,
    note: 'CSP autorisant images ou médias en HTTP',
  },
  'csp-implemented-with-unsafe-eval': { points: -10, note: "CSP autorisant 'unsafe-eval'" },
  'csp-implemented-with-unsafe-inline': {
    points: -20,
    note: "CSP dangereuse : 'unsafe-inline' ou data: dans script-src, sources trop larges dans script-src ou object-src",
  },
  'csp-implemented-with-insecure-scheme': { points: -20, note: 'CSP autorisant des ressources en HTTP' },
  'csp-header-invalid': { points: -25, note: 'en-tête CSP illisible' },
  'csp-not-implemented': { points: -25, note: 'pas d’en-tête Content-Security-Policy' },
  'csp-not-implemented-but-reporting-enabled': {
    points: -25,
    note: 'seulement Content-Security-Policy-Report-Only (rien n’est bloqué)',
  },
  // cookies
  'cookies-secure-with-httponly-sessions-and-samesite': {
    points: 5,
    note: 'cookies Secure, HttpOnly pour la session, et SameSite',
  },
  'cookies-secure-with-httponly-sessions': {
    points: 0,
    note: 'cookies Secure et HttpOnly pour la session, sans SameSite',
  },
  'cookies-not-found': { points: 0, note: 'aucun cookie' },
  'cookies-without-secure-flag-but-protected-by-hsts': {
    points: -5,
    note: 'cookies sans Secure, mais HSTS en place',
  },
  'cookies-session-without-secure-flag-but-protected-by-hsts': {
    points: -10,
    note: 'cookie de session sans Secure, mais HSTS en place',
  },
  'cookies-without-secure-flag': { points: -20, note: 'cookies sans Secure ou posés en HTTP' },
  'cookies-samesite-flag-invalid': { points: -20, note: 'attribut SameSite invalide (ou None sans Secure)' },
  'cookies-anticsrf-without-samesite-flag': { points: -20, note: 'jeton anti-CSRF sans SameSite' },
  'cookies-session-without-httponly-flag': { points: -30, note: 'cookie de session sans HttpOnly' },
  'cookies-session-without-secure-flag': {
    points: -40,
    note: 'cookie de session sans Secure ou posé en HTTP',
  },
  // cross-origin-resource-sharing
  'cross-origin-resource-sharing-not-implemented': { points: 0, note: 'pas d’en-tête CORS' },
  'cross-origin-resource-sharing-implemented-with-public-access': {
    points: 0,
    note: 'Access-Control-Allow-Origin: * (contenu public, sans identifiants)',
  },
  'cross-origin-resource-sharing-implemented-with-restricted-access': {
    points: 0,
    note: 'CORS restreint à des origines choisies',
  },
  'cross-origin-resource-sharing-implemented-with-universal-access': {
    points: -50,
    note: 'origine reflétée avec Access-Control-Allow-Credentials: true',
  },
  // redirection
  'redirection-to-https': { points: 0, note: 'HTTP redirige d’abord vers HTTPS sur le même hôte' },
  'redirection-not-needed-no-http': { points: 0, note: 'HTTP ne répond pas : pas de redirection nécessaire' },
  'redirection-off-host-from-http': {
    points: -5,
    note: 'la première redirection HTTP → HTTPS change d’hôte',
  },
  'redirection-not-to-https-on-initial-redirection': {
    points: -10,
    note: 'HTTPS atteint, mais la première redirection va vers une autre URL HTTP',
  },
  'redirection-not-to-https': { points: -20, note: 'redirige, mais pas vers HTTPS' },
  'redirection-missing': { points: -20, note: 'HTTP ne redirige pas vers HTTPS' },
  // referrer-policy
  'referrer-policy-private': {
    points: 5,
    note: 'Referrer-Policy no-referrer, same-origin, strict-origin ou strict-origin-when-cross-origin',
  },
  'referrer-policy-not-implemented': { points: 0, note: 'pas d’en-tête Referrer-Policy' },
  'referrer-policy-unsafe': {
    points: -5,
    note: 'Referrer-Policy origin, origin-when-cross-origin, unsafe-url ou no-referrer-when-downgrade',
  },
  'referrer-policy-header-invalid': { points: -5, note: 'Referrer-Policy illisible' },
  // strict-transport-security
  'hsts-implemented-max-age-at-least-six-months': { points: 0, note: 'HSTS avec max-age ≥ 6 mois' },
  'hsts-implemented-max-age-less-than-six-months': {
    points: -10,
    note: 'HSTS avec max-age < 6 mois (15552000 s)',
  },
  'hsts-not-implemented': { points: -20, note: 'pas d’en-tête Strict-Transport-Security' },
  'hsts-header-invalid': { points: -20, note: 'en-tête Strict-Transport-Security illisible' },
  'hsts-not-implemented-no-https': { points: -20, note: 'page servie sans HTTPS : HSTS impossible' },
  // x-content-type-options
  'x-content-type-options-nosniff': { points: 0, note: 'X-Content-Type-Options: nosniff' },
  'x-content-type-options-not-implemented': { points: -5, note: 'pas d’en-tête X-Content-Type-Options' },
  'x-content-type-options-header-invalid': {
    points: -5,
    note: 'X-Content-Type-Options différent de nosniff',
  },
  // x-frame-options
  'x-frame-options-implemented-via-csp': {
    points: 5,
    note: 'protection contre l’encadrement par CSP frame-ancestors',
  },
  'x-frame-options-sameorigin-or-deny': { points: 0, note: 'X-Frame-Options DENY ou SAMEORIGIN' },
  'x-frame-options-allow-from-origin': { points: 0, note: 'X-Frame-Options ALLOW-FROM' },
  'x-frame-options-not-implemented': { points: -20, note: 'ni X-Frame-Options ni CSP frame-ancestors' },
  'x-frame-options-header-invalid': { points: -20, note: 'X-Frame-Options illisible' },
  // cross-origin-resource-policy
  'corp-not-implemented': { points: 0, note: 'pas d’en-tête Cross-Origin-Resource-Policy' },
  'corp-implemented-with-same-origin': { points: 10, note: 'Cross-Origin-Resource-Policy: same-origin' },
  'corp-implemented-with-same-site': { points: 10, note: 'Cross-Origin-Resource-Policy: same-site' },
  'corp-implemented-with-cross-origin': { points: 0, note: 'Cross-Origin-Resource-Policy: cross-origin' },
  'corp-header-invalid': { points: -5, note: 'Cross-Origin-Resource-Policy illisible' },
};

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

interface TestResult {
  test: string;
  result: string;
  /** Added to the table's note (what was observed, or why the test was not evaluated). */
  detail?: string;
  points?: number;
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
const ALLOWED_DUPLICATES = new Set(['report-uri', 'report-to']);
const NONCES_HASHES = ["'sha256-", "'sha384-", "'sha512-", "'nonce-"];
const startsWithNonceOrHash = (sources: Iterable<string>): boolean =>
  [...sources].some((s) => NONCES_HASHES.some((p) => s.startsWith(p)));

type Csp = Map<string, Set<string>>;

/** The Observatory's CSP parser (cspParser.js): strict on syntax, sources lower-cased. */
function parseObservatoryCsp(values: readonly string[]): { csp: Csp; duplicates: boolean } | 'invalid' {
  const policies = values.flatMap((v) => v.split(',')).map((p) => p.replace(/[\r\n]/g, '').trim());
  let duplicates = false;
  let merged: Csp | undefined;
  for (const policy of policies) {
    if (policy.length < 'img-src'.length - 1) return 'invalid';
    const csp: Csp = new Map();
    for (const entry of policy.split(';')) {
      const [rawName, ...rawSources] = entry.trim().split(/\s+/);
      if (!rawName) continue;
      const name = rawName.toLowerCase();
      if (csp.has(name)) {
        if (!ALLOWED_DUPLICATES.has(name)) return 'invalid';
        duplicates = true;
      }
      const sources = rawSources.map((s) => s.toLowerCase());
      csp.set(name, new Set(sources.length === 0 && name.endsWith('-src') ? ["'none'"] : sources));
    }
    if (!merged) {
      merged = csp;
      continue;
    }
    // Several policies all apply: a source counts only when each policy that names the directive allows it.
    for (const [name, sources] of csp) {
      const before = merged.get(name);
      const both = before ? new Set([...before].filter((s) => sources.has(s))) : sources;
      merged.set(name, both.size ? both : new Set(["'none'"]));
    }
  }
  return { csp: merged ?? new Map<string, Set<string>>(), duplicates };
}

function cspTest(page: HttpResponseFacts): { result: TestResult; frameAncestors: boolean } {
  const test = 'content-security-policy';
  const values = headerValues(page, 'content-security-policy');
  const parsed = parseObservatoryCsp(values);
  if (parsed === 'invalid') return { result: { test, result: 'csp-header-invalid' }, frameAncestors: false };
  const { csp, duplicates } = parsed;
  if (csp.size === 0) {
    const reportOnly = headerValue(page, 'content-security-policy-report-only') !== undefined;
    return {
      result: {
        test,
        result: reportOnly ? 'csp-not-implemented-but-reporting-enabled' : 'csp-not-implemented',
      },
      frameAncestors: false,
    };
  }
  const https = page.url.startsWith('https:');
  const get = (d: string): Set<string> | undefined => csp.get(d);
  const fallback = (d: string, dflt: string[]): Set<string> => new Set(get(d) ?? get('default-src') ?? dflt);
  const script = fallback('script-src', ['*']);
  const style = fallback('style-src', ['*']);
  const object = fallback('object-src', ['*']);

  for (const list of [script, style]) {
    if (startsWithNonceOrHash(list)) list.delete("'unsafe-inline'");
  }
  let result: string | undefined;
  if (startsWithNonceOrHash(script) && script.has("'strict-dynamic'")) {
    for (const s of [...script]) {
      if ([...DANGEROUSLY_BROAD].some((b) => s.startsWith(b)) || s === "'self'" || s === "'unsafe-inline'") {
        script.delete(s);
      }
    }
  } else if (script.has("'strict-dynamic'")) {
    result = 'csp-header-invalid';
  }

  const active = [
    ...[...csp.entries()]
      .filter(([d]) => d !== 'img-src' && d !== 'media-src' && d !== 'script-src')
      .flatMap(([, s]) => [...s]),
    ...script,
  ];
  const passive = ['img-src', 'media-src'].flatMap((d) => [...(get(d) ?? get('default-src') ?? [])]);
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
  const defaultSrc = get('default-src');
  if (defaultSrc?.size === 1 && defaultSrc.has("'none'"))
    result ??= 'csp-implemented-with-no-unsafe-default-src-none';
  result ??= 'csp-implemented-with-no-unsafe';

  const passing = [
    'csp-implemented-with-no-unsafe',
    'csp-implemented-with-no-unsafe-default-src-none',
    'csp-implemented-with-unsafe-inline-in-style-src-only',
    'csp-implemented-with-insecure-scheme-in-passive-content-only',
  ];
  if (duplicates && passing.includes(result)) result = 'csp-implemented-but-duplicate-directives';
  return { result: { test, result }, frameAncestors: csp.has('frame-ancestors') };
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
  if (header.includes(',')) return { test, result: 'hsts-header-invalid', detail: 'en-tête répété' };
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
    detail: `max-age=${maxAge}`,
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

const worse = (next: string, current: string | undefined): string =>
  current === undefined || COOKIE_ORDER.indexOf(next) > COOKIE_ORDER.indexOf(current) ? next : current;

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
  return { test, result, detail: [...jar.keys()].join(', ') };
}

// ---------------------------------------------------------------------------- the others

function corsTest(obs: HttpObservation): TestResult {
  const test = 'cross-origin-resource-sharing';
  const cors = obs.cors;
  if (cors?.status !== 'observed') {
    return {
      test,
      result: 'cross-origin-resource-sharing-not-implemented',
      detail: 'requête CORS non observée',
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
    detail: `Access-Control-Allow-Origin: ${allowOrigin}`,
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
      detail: 'point d’accès HTTP (port 80) non observé : test non évalué',
    };
  }
  if (plain.status === 'error')
    return { test, result: 'redirection-not-needed-no-http', detail: `${plain.reason}` };
  const r = route(plain.value.chain);
  const detail = r.map((u) => u.href).join(' → ');
  if (r.length <= 1) return { test, result: 'redirection-missing', detail };
  if (r[r.length - 1]?.protocol !== 'https:') return { test, result: 'redirection-not-to-https', detail };
  if (r[1]?.protocol === 'http:')
    return { test, result: 'redirection-not-to-https-on-initial-redirection', detail };
  if (r[0]?.protocol === 'http:' && r[1]?.protocol === 'https:' && r[0].hostname !== r[1].hostname) {
    return { test, result: 'redirection-off-host-from-http', detail };
  }
  return { test, result: 'redirection-to-https', detail };
}

const GOOD_REFERRER = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];
const BAD_REFERRER = ['origin', 'origin-when-cross-origin', 'unsafe-url', 'no-referrer-when-downgrade'];

function referrerTest(page: HttpResponseFacts): TestResult {
  const test = 'referrer-policy';
  const value = headerValue(page, 'referrer-policy');
  if (value === undefined) return { test, result: 'referrer-policy-not-implemented' };
  const policy = value
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => GOOD_REFERRER.includes(t) || BAD_REFERRER.includes(t))
    .pop();
  const result = !policy
    ? 'referrer-policy-header-invalid'
    : GOOD_REFERRER.includes(policy)
      ? 'referrer-policy-private'
      : 'referrer-policy-unsafe';
  return { test, result, detail: value };
}

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

function xfoTest(page: HttpResponseFacts, frameAncestors: boolean): TestResult {
  const test = 'x-frame-options';
  if (frameAncestors) return { test, result: 'x-frame-options-implemented-via-csp' };
  const value = headerValue(page, 'x-frame-options')?.slice(0, 1024).trim().toLowerCase();
  if (value === undefined || value === '') return { test, result: 'x-frame-options-not-implemented' };
  if (value === 'deny' || value === 'sameorigin')
    return { test, result: 'x-frame-options-sameorigin-or-deny' };
  if (value.startsWith('allow-from')) return { test, result: 'x-frame-options-allow-from-origin' };
  return { test, result: 'x-frame-options-header-invalid' };
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
  return { test, result: known[value] ?? 'corp-header-invalid' };
}

const SRI: TestResult = {
  test: 'subresource-integrity',
  result: 'not-evaluated',
  points: 0,
  detail: 'intégrité des sous-ressources non évaluée (le HTML n’est pas analysé)',
};

/**
 * Grades the page of a web endpoint (the last response of its chain) with the Observatory's
 * modifiers: start at 100, add penalties, add bonuses only if the score without them is ≥ 90,
 * floor at 0, then the grade chart. Every test is listed with the points it actually gave.
 */
export function gradeHttp(obs: HttpObservation, opts: GradeHttpOptions = {}): HttpGradeResult {
  const page = obs.chain[obs.chain.length - 1];
  if (!page) {
    return {
      score: 0,
      grade: 'F',
      scoringVersion: HTTP_SCORING_VERSION,
      modifiers: [{ test: 'http', result: 'no-response', modifier: 0, note: 'aucune réponse HTTP observée' }],
    };
  }
  const csp = cspTest(page);
  const hsts = hstsTest(page);
  const results: TestResult[] = [
    csp.result,
    cookiesTest(obs, page, hsts),
    corsTest(obs),
    redirectionTest(obs, opts.plainHttp),
    referrerTest(page),
    hsts,
    SRI,
    xctoTest(page),
    xfoTest(page, csp.frameAncestors),
    corpTest(page),
  ];
  const points = (r: TestResult): number => r.points ?? TABLE[r.result]?.points ?? 0;
  const penalties = results.reduce((sum, r) => sum + Math.min(0, points(r)), 0);
  const bonuses = results.reduce((sum, r) => sum + Math.max(0, points(r)), 0);
  const withoutBonus = 100 + penalties;
  const bonusApplies = withoutBonus >= MINIMUM_SCORE_FOR_EXTRA_CREDIT;
  const score = Math.max(0, bonusApplies ? withoutBonus + bonuses : withoutBonus);
  const modifiers = results.map((r): HttpGradeModifier => {
    const p = points(r);
    const held = p > 0 && !bonusApplies;
    const notes = [
      TABLE[r.result]?.note,
      r.detail,
      held
        ? `bonus de +${p} non retenu : score sans bonus ${withoutBonus} < ${MINIMUM_SCORE_FOR_EXTRA_CREDIT}`
        : undefined,
    ].filter((n): n is string => n !== undefined && n !== '');
    return { test: r.test, result: r.result, modifier: held ? 0 : p, note: notes.join(' — ') };
  });
  return { score, grade: letterGrade(score), scoringVersion: HTTP_SCORING_VERSION, modifiers };
}
