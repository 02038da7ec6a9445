import type { Outcome } from './outcome.js';

/** One HTTP response as observed (bounded): what every HTTP check reads. */
export interface HttpResponseFacts {
  /** The URL requested for this response. */
  url: string;
  status: number;
  /** Header fields in received order, names lower-cased; repeated fields (set-cookie) stay separate. */
  headers: [name: string, value: string][];
  /** Start of the body, decoded as UTF-8 (at most the probe's body limit). */
  body: string;
  bodyTruncated: boolean;
  /**
   * The `<meta>` and `<script>` elements of the body, read by an HTML parser (nothing executed).
   * Set by the HTTP probe on the page it assesses (the last response of the chain), whatever its
   * Content-Type; absent elsewhere (redirects, security.txt, …) and when the page was not parsed.
   */
  html?: HtmlElements;
}

/** Attributes of one `<script>` element, as the HTML parser gave them (entities decoded). */
export interface HtmlScript {
  src?: string;
  integrity?: string;
  crossorigin?: string;
}

/** Attributes of one `<meta>` element; an attribute written without a value is `''`. */
export interface HtmlMeta {
  httpEquiv?: string;
  name?: string;
  content?: string;
}

/** The elements of a page that the HTTP grade and checks read, in document order (bounded). */
export interface HtmlElements {
  scripts: HtmlScript[];
  metas: HtmlMeta[];
  /** More elements than the probe keeps were found: the rest were not read. */
  truncated: boolean;
}

/** What the HTTP probe saw on one endpoint. */
export interface HttpObservation {
  scheme: 'http' | 'https';
  /** First URL requested. */
  url: string;
  /** Responses in order, redirects followed (bounded); the last one is the page evaluated. */
  chain: HttpResponseFacts[];
  /** GET /.well-known/security.txt (HTTPS endpoints only). */
  securityTxt?: Outcome<HttpResponseFacts>;
  /** Response to a request carrying an `Origin` header, for CORS checks (HTTPS endpoints only). */
  cors?: Outcome<HttpResponseFacts>;
}

/** All values of a header (names compared lower-case). */
export function headerValues(r: Pick<HttpResponseFacts, 'headers'>, name: string): string[] {
  const lower = name.toLowerCase();
  return r.headers.filter(([n]) => n === lower).map(([, v]) => v);
}

/** The value of a single-valued header (repeated fields joined with ", " as RFC 9110 allows). */
export function headerValue(r: Pick<HttpResponseFacts, 'headers'>, name: string): string | undefined {
  const values = headerValues(r, name);
  return values.length ? values.join(', ') : undefined;
}
