import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Agent, request } from 'undici';
import { failed, observed, type HttpResponseFacts, type Outcome } from '../../domain/index.js';
import { bytesReadBeforeClose, describeError, reasonOf } from './error-reason.js';
import { USER_AGENT } from './user-agent.js';
import { sharedSecureContext } from '../secure-contexts.js';

/** Where to connect: `host` is used for Host and SNI; `address`, when given, is where the socket goes. */
export interface HttpTarget {
  host: string;
  address?: string;
  port: number;
}

/** Largest response head accepted (status line and header fields). */
export const MAX_HEADER_BYTES = 32 * 1024;

/** A bare host name, lower-case, without the brackets of an IPv6 literal. */
export const bareHost = (host: string): string => host.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/** `scheme://host[:port]/path`, with IPv6 literals bracketed and default ports left out. */
export function urlFor(scheme: 'http' | 'https', target: HttpTarget, path: string): URL {
  const host = bareHost(target.host);
  const authority = isIP(host) === 6 ? `[${host}]` : host;
  const origin = new URL(`${scheme}://${authority}:${target.port}`);
  return new URL(path.startsWith('/') ? path : `/${path}`, origin);
}

/** Resolves every name to the pinned address (the name still goes out as Host and SNI). */
export function pinnedLookup(address: string): LookupFunction {
  const family = isIP(address) === 6 ? 6 : 4;
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/** Legacy protocols and suites allowed: one TLS context shared by every HTTPS probe. */
const legacyContext = () => sharedSecureContext({ ciphers: 'DEFAULT@SECLEVEL=0', minVersion: 'TLSv1' });

/**
 * One undici Agent for one probe: certificate problems do not block (the TLS checks report them),
 * legacy protocols and suites are allowed, the pinned address is honoured, response heads are
 * bounded. The caller destroys it.
 */
export function createHttpAgent(target: HttpTarget, timeoutMs: number, connections = 4): Agent {
  const host = bareHost(target.host);
  return new Agent({
    connect: {
      rejectUnauthorized: false,
      secureContext: legacyContext(),
      timeout: timeoutMs,
      ...(isIP(host) ? {} : { servername: host }),
      ...(target.address ? { lookup: pinnedLookup(target.address) } : {}),
    },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    maxHeaderSize: MAX_HEADER_BYTES,
    keepAliveTimeout: 1000,
    connections,
  });
}

export interface FetchOptions {
  /** Total deadline of the request: connection, response head and body. */
  timeoutMs: number;
  maxBodyBytes: number;
  headers?: Record<string, string>;
}

/** Reads at most `max` bytes of a body, then stops (and lets undici close the connection). */
async function readBounded(
  body: AsyncIterable<Buffer> & { destroy(): void },
  max: number,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size > max) {
        truncated = true;
        break;
      }
    }
  } catch {
    // The head was received; a body cut short by the deadline or the peer is still evidence.
    truncated = true;
  } finally {
    body.destroy();
  }
  const all = Buffer.concat(chunks, size);
  return { bytes: all.subarray(0, Math.min(size, max)), truncated };
}

/** UTF-8 text; an incomplete sequence cut by the byte limit is dropped, not turned into U+FFFD. */
function decode(bytes: Buffer, truncated: boolean): string {
  return new TextDecoder('utf-8').decode(bytes, { stream: truncated });
}

/** Whether the port completes a TLS handshake (used when a plain-HTTP request got no answer at all). */
function speaksTls(target: HttpTarget, timeoutMs: number): Promise<boolean> {
  const host = bareHost(target.host);
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: target.address ?? host,
      port: target.port,
      rejectUnauthorized: false,
      secureContext: legacyContext(),
      ...(isIP(host) ? {} : { servername: host }),
    });
    const done = (result: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('secureConnect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

/**
 * One GET, no redirect followed, bounded in time (total deadline) and size (head and body).
 * Ends as the response observed or as an error with its reason; never throws.
 */
export async function fetchOnce(
  agent: Agent,
  target: HttpTarget,
  url: URL,
  opts: FetchOptions,
): Promise<Outcome<HttpResponseFacts>> {
  try {
    const res = await request(url, {
      dispatcher: agent,
      method: 'GET',
      headers: { 'user-agent': USER_AGENT, accept: 'text/html,*/*', ...opts.headers },
      signal: AbortSignal.timeout(opts.timeoutMs),
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      responseHeaders: 'raw',
    });
    // With responseHeaders: 'raw', undici hands over [name, value, name, value, …] as received.
    const raw = res.headers as unknown as string[];
    const headers: [string, string][] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      headers.push([String(raw[i]).toLowerCase(), String(raw[i + 1])]);
    }
    const { bytes, truncated } = await readBounded(res.body, opts.maxBodyBytes);
    return observed({
      url: url.href,
      status: res.statusCode,
      headers,
      body: decode(bytes, truncated),
      bodyTruncated: truncated,
    });
  } catch (err) {
    const reason = reasonOf(err);
    // A TLS server closes a plain-HTTP request without a byte: say it is TLS, not a dead server.
    if (url.protocol === 'http:' && reason === 'reset' && bytesReadBeforeClose(err) === 0) {
      if (await speaksTls(target, opts.timeoutMs)) {
        return failed('protocol-error', `le port ${target.port} parle TLS : requête HTTP en clair refusée`);
      }
    }
    return failed(reason, describeError(err));
  }
}
