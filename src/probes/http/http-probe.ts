import type { Agent } from 'undici';
import { CORS_TEST_ORIGIN, redirectTarget } from '../../domain/http-headers.js';
import {
  failed,
  observed,
  type HttpObservation,
  type HttpResponseFacts,
  type Outcome,
} from '../../domain/index.js';
import { bareHost, createHttpAgent, fetchOnce, urlFor, type HttpTarget } from './http-client.js';
import { collectHtmlElements } from './html-elements.js';

export interface HttpProbeOptions {
  scheme: 'http' | 'https';
  /** Path of the page to assess; default '/'. */
  path?: string;
  /** Total deadline of each request. */
  timeoutMs: number;
  /** Redirects followed on the same host; default 5. */
  maxRedirects?: number;
  /** Body bytes kept per response; default 256 KiB. */
  maxBodyBytes?: number;
  /** Connections open at once to one origin (default 4; 1 behind a fleet's connection gate). */
  connectionsPerOrigin?: number;
}

export interface HttpGetOptions {
  scheme: 'http' | 'https';
  path: string;
  timeoutMs: number;
  /** Default 256 KiB. */
  maxBodyBytes?: number;
  headers?: Record<string, string>;
}

const DEFAULT_MAX_REDIRECTS = 5;
const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
const SECURITY_TXT_PATH = '/.well-known/security.txt';
const SECURITY_TXT_MAX_BYTES = 32 * 1024;
const SECURITY_TXT_MAX_REDIRECTS = 3;

interface ChainOptions {
  timeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
  /** Schemes a redirect may go to and still be followed. */
  follow: readonly string[];
  headers?: Record<string, string>;
}

/** Where a redirect may be followed: same host name, and a scheme the caller accepts. */
function followable(from: HttpTarget, to: URL, schemes: readonly string[]): boolean {
  return schemes.includes(to.protocol) && bareHost(to.hostname) === bareHost(from.host);
}

const portOf = (url: URL): number => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

/**
 * Requests `start` and follows redirects that stay on the host (at most `maxRedirects`). A redirect
 * that leaves the host or goes to another scheme ends the chain: it is recorded, not followed. One
 * more redirect than the limit is an error (`too-many-redirects`): the page was never reached, and
 * no hop stands for it, even with `keepPartial`. The first request failing fails the chain; a later
 * hop failing ends it as an error too, except that the responses already seen are kept when
 * `keepPartial` is set.
 */
async function followChain(
  agent: Agent,
  target: HttpTarget,
  start: URL,
  opts: ChainOptions,
  first?: Outcome<HttpResponseFacts>,
  keepPartial = false,
): Promise<Outcome<HttpResponseFacts[]>> {
  const chain: HttpResponseFacts[] = [];
  let url = start;
  let outcome =
    first ??
    (await fetchOnce(agent, target, url, {
      timeoutMs: opts.timeoutMs,
      maxBodyBytes: opts.maxBodyBytes,
      ...(opts.headers ? { headers: opts.headers } : {}),
    }));
  for (;;) {
    if (outcome.status !== 'observed') {
      if (chain.length > 0 && keepPartial) return observed(chain);
      return outcome.status === 'error'
        ? failed(outcome.reason, chain.length > 0 ? `${url.href} : ${outcome.detail}` : outcome.detail)
        : outcome;
    }
    chain.push(outcome.value);
    const next = redirectTarget(outcome.value);
    if (!next || !followable(target, next, opts.follow)) return observed(chain);
    if (chain.length > opts.maxRedirects) {
      // The page was never reached: a redirect is not the page, its headers are not the page's.
      return failed(
        'too-many-redirects',
        `plus de ${opts.maxRedirects} redirections sur ${bareHost(target.host)} depuis ${start.href} (boucle ou chaîne trop longue) ; la dernière renvoie vers ${next.href}`,
      );
    }
    url = next;
    outcome = await fetchOnce(agent, { ...target, port: portOf(next) }, next, {
      timeoutMs: opts.timeoutMs,
      maxBodyBytes: opts.maxBodyBytes,
      ...(opts.headers ? { headers: opts.headers } : {}),
    });
  }
}

/** The chain with its last response (the page assessed) carrying the elements of its HTML. */
function withPageHtml(chain: HttpResponseFacts[]): HttpResponseFacts[] {
  const page = chain[chain.length - 1];
  if (!page) return chain;
  return [...chain.slice(0, -1), { ...page, html: collectHtmlElements(page.body) }];
}

/** The end of a (short, same-host) redirect chain: the file as served, or why it could not be had. */
function lastResponse(chain: Outcome<HttpResponseFacts[]>): Outcome<HttpResponseFacts> {
  if (chain.status !== 'observed') return chain;
  const last = chain.value[chain.value.length - 1];
  return last ? observed(last) : failed('internal', 'aucune réponse');
}

/**
 * Observes one web endpoint: the page (redirects on the same host followed, bounded; the `<script>`
 * and `<meta>` elements of its body read by an HTML parser), and for an
 * HTTPS endpoint also `/.well-known/security.txt` and a request carrying an `Origin` for CORS.
 * Certificate problems never block (the TLS checks report them). Never throws.
 */
export async function httpProbe(
  target: HttpTarget,
  opts: HttpProbeOptions,
): Promise<Outcome<HttpObservation>> {
  const maxRedirects = Math.max(0, opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS);
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let start: URL;
  try {
    start = urlFor(opts.scheme, target, opts.path ?? '/');
  } catch (err) {
    return failed('internal', `URL invalide : ${String(err)}`);
  }
  const agent = createHttpAgent(target, opts.timeoutMs, opts.connectionsPerOrigin);
  try {
    const first = await fetchOnce(agent, target, start, { timeoutMs: opts.timeoutMs, maxBodyBytes });
    if (first.status !== 'observed') return first;

    const page = followChain(
      agent,
      target,
      start,
      // An HTTP endpoint that redirects to HTTPS on the same host is followed there.
      { timeoutMs: opts.timeoutMs, maxBodyBytes, maxRedirects, follow: ['http:', 'https:'] },
      first,
      // Plain HTTP is assessed on its first response: a later hop failing does not hide it.
      opts.scheme === 'http',
    );
    if (opts.scheme === 'http') {
      const chain = await page;
      return chain.status === 'observed'
        ? observed({ scheme: 'http', url: start.href, chain: withPageHtml(chain.value) })
        : chain;
    }

    const securityTxt = followChain(agent, target, urlFor('https', target, SECURITY_TXT_PATH), {
      timeoutMs: opts.timeoutMs,
      maxBodyBytes: SECURITY_TXT_MAX_BYTES,
      maxRedirects: SECURITY_TXT_MAX_REDIRECTS,
      // RFC 9116 §3: the file is served over HTTPS; a redirect to plain HTTP is not followed.
      follow: ['https:'],
    });
    const cors = fetchOnce(agent, target, start, {
      timeoutMs: opts.timeoutMs,
      maxBodyBytes: 0,
      headers: { origin: CORS_TEST_ORIGIN },
    });
    const [chain, txt, corsOutcome] = await Promise.all([page, securityTxt, cors]);
    if (chain.status !== 'observed') return chain;
    return observed({
      scheme: 'https',
      url: start.href,
      chain: withPageHtml(chain.value),
      securityTxt: lastResponse(txt),
      cors: corsOutcome,
    });
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}

/**
 * One GET on an endpoint, no redirect followed, bounded like the probe's requests (for the custom
 * declarative checks). Never throws.
 */
export async function httpGet(target: HttpTarget, opts: HttpGetOptions): Promise<Outcome<HttpResponseFacts>> {
  let url: URL;
  try {
    url = urlFor(opts.scheme, target, opts.path);
  } catch (err) {
    return failed('internal', `URL invalide : ${String(err)}`);
  }
  const agent = createHttpAgent(target, opts.timeoutMs);
  try {
    return await fetchOnce(agent, target, url, {
      timeoutMs: opts.timeoutMs,
      maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      ...(opts.headers ? { headers: opts.headers } : {}),
    });
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}
