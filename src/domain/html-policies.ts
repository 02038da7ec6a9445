import { headerValues, type HttpResponseFacts } from './http.js';

/** Media types whose body the HTTP Observatory reads as HTML (compared exactly, as it does). */
export const HTML_TYPES: ReadonlySet<string> = new Set(['text/html', 'application/xhtml+xml']);

/**
 * CSP directives that a policy delivered in `<meta http-equiv>` cannot carry (HTML § 4.2.5.3,
 * CSP3 § 3.3): browsers ignore them there.
 */
export const DIRECTIVES_DISALLOWED_IN_META: readonly string[] = ['frame-ancestors', 'report-uri', 'sandbox'];

/**
 * The media type of a response as the Observatory reads it: the first Content-Type field, up to its
 * first `;`, neither trimmed nor lower-cased. `undefined` when there is no Content-Type.
 */
export function observatoryMimeType(r: Pick<HttpResponseFacts, 'headers'>): string | undefined {
  const value = headerValues(r, 'content-type')[0];
  return value === undefined ? undefined : (value.split(';', 1)[0] ?? '');
}

/** Policies a page gives in its own markup, in document order. */
export interface MetaPolicies {
  /** `content` of each `<meta http-equiv="Content-Security-Policy">` (name compared case-insensitively). */
  csp: string[];
  /** `content` of the last `<meta name="referrer">`, if any (at most one value). */
  referrer: string[];
}

/**
 * The policies of `<meta>` elements that the Observatory honours, with its rules: read only when
 * the page is served as HTML and has a body; `http-equiv` compared case-insensitively after
 * trimming; only Content-Security-Policy taken from `http-equiv` (X-Frame-Options, CORP,
 * Referrer-Policy, CSP-Report-Only there are ignored, as browsers ignore them); the referrer policy
 * from `<meta name="referrer">`, the last one winning. Directives not allowed in a meta policy are
 * left for the caller to drop (see DIRECTIVES_DISALLOWED_IN_META).
 */
export function metaPolicies(page: HttpResponseFacts): MetaPolicies {
  const none: MetaPolicies = { csp: [], referrer: [] };
  const mime = observatoryMimeType(page);
  if (!page.html || mime === undefined || !HTML_TYPES.has(mime) || page.body === '') return none;
  const csp: string[] = [];
  let referrer: string[] = [];
  for (const meta of page.html.metas) {
    if (meta.httpEquiv !== undefined && meta.content !== undefined) {
      if (meta.content && meta.httpEquiv.toLowerCase().trim() === 'content-security-policy') {
        csp.push(meta.content);
      }
    } else if (meta.name?.toLowerCase().trim() === 'referrer' && meta.content) {
      referrer = [meta.content];
    }
  }
  return { csp, referrer };
}
