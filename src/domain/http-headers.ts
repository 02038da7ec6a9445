/**
 * Pure parsers of the HTTP security headers read by the checks (src/engine/checks/http-checks.ts)
 * and by the HTTP grade (src/grading/http-grade.ts). No I/O.
 */

/** The `Origin` the HTTP probe sends for the CORS check: a reserved name (RFC 2606) nobody owns. */
export const CORS_TEST_ORIGIN = 'https://vigie-cors-check.invalid';

/** One Content-Security-Policy (a header value may hold several, separated by commas). */
export interface CspPolicy {
  /** Directive name (lower-case) → its source expressions, in order; the first occurrence wins. */
  directives: Map<string, string[]>;
  /** Directives that appeared more than once in this policy (browsers ignore the repeats). */
  duplicates: string[];
  /** The policy as received (trimmed). */
  text: string;
}

/** Parses CSP header values (repeated fields and comma-separated policies) as CSP3 §2.2 does. */
export function parseCsp(values: readonly string[]): CspPolicy[] {
  const policies: CspPolicy[] = [];
  for (const text of values.flatMap((v) => v.split(',')).map((p) => p.trim())) {
    if (!text) continue;
    const directives = new Map<string, string[]>();
    const duplicates: string[] = [];
    for (const part of text.split(';')) {
      const [rawName, ...sources] = part.trim().split(/[\t\n\f\r ]+/);
      if (!rawName) continue;
      const name = rawName.toLowerCase();
      if (directives.has(name)) duplicates.push(name);
      else directives.set(name, sources);
    }
    policies.push({ directives, duplicates, text });
  }
  return policies;
}

/** The source list that governs scripts in one policy: script-src, else default-src. */
export function scriptSources(
  policy: CspPolicy,
): { directive: 'script-src' | 'default-src'; sources: string[] } | undefined {
  const script = policy.directives.get('script-src');
  if (script) return { directive: 'script-src', sources: script };
  const fallback = policy.directives.get('default-src');
  return fallback ? { directive: 'default-src', sources: fallback } : undefined;
}

const NONCE_OR_HASH = /^'(?:nonce-|sha256-|sha384-|sha512-)/i;

/** True when a source list holds a nonce or a hash (which makes browsers ignore 'unsafe-inline'). */
export function hasNonceOrHash(sources: readonly string[]): boolean {
  return sources.some((s) => NONCE_OR_HASH.test(s));
}

/** True when a source list holds the keyword (case-insensitive, quotes included: `'unsafe-eval'`). */
export function hasKeyword(sources: readonly string[], keyword: string): boolean {
  return sources.some((s) => s.toLowerCase() === keyword);
}

/**
 * Whether 'unsafe-inline' is in effect in a script source list: browsers ignore it when a nonce,
 * a hash or 'strict-dynamic' is present (CSP3 §6.7.3.3, §8.2).
 */
export function allowsInlineScript(sources: readonly string[]): boolean {
  return (
    hasKeyword(sources, "'unsafe-inline'") &&
    !hasNonceOrHash(sources) &&
    !hasKeyword(sources, "'strict-dynamic'")
  );
}

/** Strict-Transport-Security as RFC 6797 §6.1 defines it. */
export type HstsParse =
  | { valid: true; maxAge: number; includeSubDomains: boolean; preload: boolean; value: string }
  | { valid: false; problem: string; value: string };

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Parses the first Strict-Transport-Security field (RFC 6797 §8.1: a user agent processes only the
 * first one). Problems are short French phrases for the evidence.
 */
export function parseHsts(values: readonly string[]): HstsParse | undefined {
  const value = values[0];
  if (value === undefined) return undefined;
  const invalid = (problem: string): HstsParse => ({ valid: false, problem, value });
  const seen = new Set<string>();
  let maxAge: number | undefined;
  for (const raw of value.split(';')) {
    const directive = raw.trim();
    if (!directive) continue;
    const eq = directive.indexOf('=');
    const name = (eq < 0 ? directive : directive.slice(0, eq)).trim().toLowerCase();
    let arg = eq < 0 ? undefined : directive.slice(eq + 1).trim();
    if (!TOKEN.test(name)) return invalid(`directive illisible « ${directive} »`);
    if (seen.has(name)) return invalid(`directive ${name} répétée`);
    seen.add(name);
    if (arg !== undefined && arg.length >= 2 && arg.startsWith('"') && arg.endsWith('"'))
      arg = arg.slice(1, -1);
    if (name === 'max-age') {
      if (arg === undefined || !/^\d+$/.test(arg)) return invalid(`max-age invalide « ${directive} »`);
      maxAge = Number(arg);
    }
  }
  if (maxAge === undefined) return invalid('directive max-age absente');
  return {
    valid: true,
    maxAge,
    includeSubDomains: seen.has('includesubdomains'),
    preload: seen.has('preload'),
    value,
  };
}

/** One Set-Cookie field (RFC 6265 §5.2), without its value kept aside for the evidence. */
export interface SetCookie {
  name: string;
  /** Attribute names lower-cased → value ('' for a flag). The last occurrence wins, as in RFC 6265. */
  attributes: Map<string, string>;
  secure: boolean;
  httpOnly: boolean;
  /** The SameSite attribute as written, if any. */
  sameSite?: string;
  /** The attributes as received, without the cookie's value (which may be a secret). */
  attributesText: string;
}

export function parseSetCookie(field: string): SetCookie {
  const [pair = '', ...parts] = field.split(';');
  const eq = pair.indexOf('=');
  const name = eq < 0 ? '' : pair.slice(0, eq).trim();
  const attributes = new Map<string, string>();
  for (const part of parts) {
    const i = part.indexOf('=');
    const key = (i < 0 ? part : part.slice(0, i)).trim().toLowerCase();
    if (!key) continue;
    attributes.set(key, i < 0 ? '' : part.slice(i + 1).trim());
  }
  const sameSite = attributes.get('samesite');
  return {
    name,
    attributes,
    secure: attributes.has('secure'),
    httpOnly: attributes.has('httponly'),
    ...(sameSite === undefined ? {} : { sameSite }),
    attributesText: parts
      .map((p) => p.trim())
      .filter(Boolean)
      .join('; '),
  };
}

export const REFERRER_POLICIES = [
  'no-referrer',
  'no-referrer-when-downgrade',
  'same-origin',
  'origin',
  'strict-origin',
  'origin-when-cross-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
] as const;
export type ReferrerPolicyToken = (typeof REFERRER_POLICIES)[number];

/** Policies that send the full URL or the origin to other sites, including over plain HTTP. */
export const UNSAFE_REFERRER_POLICIES: readonly ReferrerPolicyToken[] = [
  'unsafe-url',
  'no-referrer-when-downgrade',
  'origin',
  'origin-when-cross-origin',
];

/**
 * The policy a browser applies: the last recognised token of the comma-separated list (W3C
 * Referrer Policy §8.1, "parse a referrer policy from a Referrer-Policy header").
 */
export function effectiveReferrerPolicy(values: readonly string[]): ReferrerPolicyToken | undefined {
  const tokens = values.flatMap((v) => v.split(',')).map((t) => t.trim().toLowerCase());
  return tokens
    .reverse()
    .find((t): t is ReferrerPolicyToken => (REFERRER_POLICIES as readonly string[]).includes(t));
}

/** The MIME type of a Content-Type value, lower-cased, and its charset parameter if any. */
export function parseContentType(value: string | undefined): { type: string; charset?: string } | undefined {
  if (value === undefined) return undefined;
  const [type = '', ...params] = value.split(';');
  let charset: string | undefined;
  for (const p of params) {
    const i = p.indexOf('=');
    if (i < 0 || p.slice(0, i).trim().toLowerCase() !== 'charset') continue;
    charset = p
      .slice(i + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
  }
  return { type: type.trim().toLowerCase(), ...(charset === undefined ? {} : { charset }) };
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The absolute target of a redirect response, or undefined when it is not one (or Location is unusable). */
export function redirectTarget(r: {
  url: string;
  status: number;
  headers: [string, string][];
}): URL | undefined {
  if (!REDIRECT_STATUSES.has(r.status)) return undefined;
  const location = r.headers.find(([n]) => n === 'location')?.[1];
  if (location === undefined) return undefined;
  try {
    return new URL(location.trim(), r.url);
  } catch {
    return undefined;
  }
}
