import type { ErrorReason } from '../domain/index.js';

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);

/** The `code` of a socket error (the first attempt's, for happy-eyeballs AggregateErrors). */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const inner = (err as { errors?: unknown }).errors;
  return Array.isArray(inner) ? errorCode(inner[0]) : undefined;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Why a connection could not be established. */
export function connectErrorReason(code: string | undefined): ErrorReason {
  if (code === 'ECONNREFUSED') return 'refused';
  if (code !== undefined && DNS_CODES.has(code)) return 'dns';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ECONNRESET') return 'reset';
  return 'unreachable'; // EHOSTUNREACH, ENETUNREACH, EHOSTDOWN … and anything else that prevents connecting
}
