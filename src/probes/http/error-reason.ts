import { stableErrorText, type ErrorReason } from '../../domain/index.js';

/** Not TLS at all on the other side (a plain HTTP server, another protocol): not a handshake gone wrong. */
const NOT_TLS = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_HTTP_REQUEST',
]);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_FAIL', 'EAI_NONAME']);
const TIMEOUT = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_ABORTED',
  'ABORT_ERR',
]);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const PROTOCOL = new Set([
  'UND_ERR_HEADERS_OVERFLOW',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  'UND_ERR_INFO',
  'UND_ERR_NOT_SUPPORTED',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The error and its causes, outermost first (undici wraps socket and TLS errors). */
function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let e: unknown = err;
  while (e !== null && typeof e === 'object' && out.length < 5) {
    const current: ErrorLike = e;
    out.push(current);
    e = current.cause;
  }
  return out;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The code and message that best describe an error, for the `detail` of an error outcome. */
export function describeError(err: unknown): string {
  const parts = chain(err).map((e) => {
    const code = str(e.code) ?? str(e.name);
    const msg =
      stableErrorText(str(e.message) ?? '')
        .split('\n')[0]
        ?.trim() || undefined;
    return code && msg ? `${code}: ${msg}` : (code ?? msg ?? '');
  });
  const text = parts.filter(Boolean).join(' ← ');
  return text || String(err);
}

/** Maps an undici / Node error to the closed vocabulary of error reasons. */
export function reasonOf(err: unknown): ErrorReason {
  for (const e of chain(err)) {
    const code = str(e.code);
    const name = str(e.name);
    if (code === 'ECONNREFUSED') return 'refused';
    if (code && DNS.has(code)) return 'dns';
    if ((code && TIMEOUT.has(code)) || name === 'TimeoutError' || name === 'AbortError') return 'timeout';
    if (code && NOT_TLS.has(code)) return 'protocol-error';
    if (code?.startsWith('HPE_') || (code && PROTOCOL.has(code)) || name === 'HTTPParserError')
      return 'protocol-error';
    if (code?.startsWith('ERR_SSL_') || code?.startsWith('ERR_TLS_') || code === 'EPROTO')
      return 'handshake-failed';
    if (code && UNREACHABLE.has(code)) return 'unreachable';
    if (code && RESET.has(code)) return 'reset';
  }
  return 'internal';
}

/** Bytes the socket had received when undici reported "other side closed" (undefined when unknown). */
export function bytesReadBeforeClose(err: unknown): number | undefined {
  for (const e of chain(err)) {
    if (str(e.code) !== 'UND_ERR_SOCKET') continue;
    const socket = (e as { socket?: { bytesRead?: unknown } }).socket;
    return typeof socket?.bytesRead === 'number' ? socket.bytesRead : undefined;
  }
  return undefined;
}
