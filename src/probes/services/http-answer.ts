import { isIP } from 'node:net';
import type { Conversation, ServiceTarget } from './conversation.js';
import { bytesToText, printableExcerpt } from './printable.js';

/** One HTTP/1.x response, bounded by the conversation's byte budget. */
export interface HttpAnswer {
  status: number;
  statusLine: string;
  /** Lower-cased names; repeated fields joined with `, `. */
  headers: Map<string, string>;
  /** Start of the body (de-chunked when chunked), as text. */
  body: string;
  tls: boolean;
}

const STATUS_LINE = /^HTTP\/\d\.\d (\d{3})(?: [^\r\n]*)?$/;

/** Starts like an HTTP/1.x response. */
export const looksLikeHttp = (b: Buffer): boolean =>
  /^HTTP\/\d\.\d \d{3}/.test(b.subarray(0, 16).toString('latin1'));

function dechunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  while (i < raw.length) {
    const lineEnd = raw.indexOf('\r\n', i);
    if (lineEnd === -1) break;
    const size = parseInt(raw.subarray(i, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size <= 0) break;
    parts.push(raw.subarray(lineEnd + 2, Math.min(raw.length, lineEnd + 2 + size)));
    i = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** Parses a response once its header block is complete; the body may be partial. */
export function parseHttpAnswer(b: Buffer, tls: boolean): HttpAnswer | undefined {
  const headerEnd = b.indexOf('\r\n\r\n');
  if (headerEnd === -1) return undefined;
  const [statusLine = '', ...lines] = b.subarray(0, headerEnd).toString('latin1').split('\r\n');
  const m = STATUS_LINE.exec(statusLine);
  if (m === null) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  const raw = b.subarray(headerEnd + 4);
  const chunked = /\bchunked\b/i.test(headers.get('transfer-encoding') ?? '');
  return { status: Number(m[1]), statusLine, headers, body: bytesToText(chunked ? dechunk(raw) : raw), tls };
}

/** The whole response is in: by Content-Length, the last chunk, or a bodiless status. */
function complete(b: Buffer): boolean {
  const a = parseHttpAnswer(b, false);
  if (a === undefined) return false;
  if (a.status === 204 || a.status === 304 || (a.status >= 100 && a.status < 200)) return true;
  const bodyBytes = b.length - (b.indexOf('\r\n\r\n') + 4);
  const length = a.headers.get('content-length');
  if (length !== undefined && /^\d+$/.test(length)) return bodyBytes >= Number(length);
  if (/\bchunked\b/i.test(a.headers.get('transfer-encoding') ?? '')) return b.includes('\r\n0\r\n\r\n');
  return false; // read until the server closes (Connection: close)
}

/** `Host` header value for the target (IPv6 literals in brackets, port unless default). */
function hostHeader(target: ServiceTarget, tls: boolean): string {
  const host = isIP(target.host) === 6 ? `[${target.host}]` : target.host;
  return target.port === (tls ? 443 : 80) ? host : `${host}:${target.port}`;
}

/** Sends one `GET path` (no credentials, `Connection: close`) and reads the answer. */
export async function httpExchange(
  c: Conversation,
  target: ServiceTarget,
  path: string,
  opts: { stepMs: number; tls: boolean },
): Promise<HttpAnswer | undefined> {
  c.send(
    Buffer.from(
      `GET ${path} HTTP/1.1\r\nHost: ${hostHeader(target, opts.tls)}\r\nUser-Agent: vigie\r\n` +
        'Accept: application/json, */*;q=0.5\r\nConnection: close\r\n\r\n',
      'latin1',
    ),
  );
  await c.waitFor(complete, opts.stepMs);
  return parseHttpAnswer(c.received, opts.tls);
}

/** Status line and `Server` header: what an HTTP service says about itself. */
export function httpBanner(a: HttpAnswer): string {
  const server = a.headers.get('server');
  return printableExcerpt(`${a.statusLine}${server === undefined ? '' : ` (Server: ${server})`}`);
}

/** Parsed JSON body, or undefined (truncated or not JSON). */
export function jsonBody(a: HttpAnswer): unknown {
  try {
    return JSON.parse(a.body) as unknown;
  } catch {
    return undefined;
  }
}
