import { Agent, request } from 'undici';
import { failed, observed, type CtEntry, type Outcome } from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import { describeError, reasonOf } from '../http/error-reason.js';
import { USER_AGENT } from '../http/user-agent.js';

/** Bounds of one Certificate Transparency request: hostile answers end as a failure, in bounded time and memory. */
export interface CtLimits {
  /** Total deadline: connection, head and body. */
  timeoutMs: number;
  /** Largest body read; a larger answer is a failure, never a silent cut. */
  maxBytes: number;
  /** Largest number of entries accepted. */
  maxEntries: number;
}

export const DEFAULT_CT_LIMITS: CtLimits = {
  timeoutMs: 60_000,
  maxBytes: 64 * 1024 * 1024,
  maxEntries: 200_000,
};

/** `{base}/?q=%25.{domain}&output=json`, the crt.sh-compatible query. */
export function ctQueryUrl(base: string, domain: string): URL {
  const url = new URL(base);
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  url.search = `?q=%25.${encodeURIComponent(domain)}&output=json`;
  return url;
}

/**
 * Asks a crt.sh-compatible API for the certificates logged for `domain`. The answer is data: a body
 * over `maxBytes`, more than `maxEntries` entries, malformed JSON or a shape other than a list of
 * objects with a `name_value` string end as an error with the reason. Never throws.
 */
export async function fetchCtEntries(
  base: string,
  domain: string,
  limits: CtLimits = DEFAULT_CT_LIMITS,
): Promise<Outcome<CtEntry[]>> {
  let url: URL;
  try {
    url = ctQueryUrl(base, domain);
  } catch (error) {
    return failed('internal', msg('texts2.ct.bad-url', { url: base, error: String(error) }));
  }
  const agent = new Agent({
    connect: { timeout: limits.timeoutMs },
    headersTimeout: limits.timeoutMs,
    bodyTimeout: limits.timeoutMs,
    maxHeaderSize: 32 * 1024,
  });
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    const res = await request(url, {
      dispatcher: agent,
      method: 'GET',
      headers: { 'user-agent': USER_AGENT, accept: 'application/json' },
      signal,
    });
    if (res.statusCode !== 200) {
      await res.body.dump().catch(() => undefined);
      return failed('protocol-error', msg('texts2.ct.status', { status: res.statusCode, domain }));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limits.maxBytes) {
        res.body.destroy();
        return failed('protocol-error', msg('texts2.ct.too-big', { domain, max: limits.maxBytes }));
      }
      chunks.push(chunk);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
    } catch {
      return failed('protocol-error', msg('texts2.ct.bad-json', { domain }));
    }
    if (!Array.isArray(parsed)) return failed('protocol-error', msg('texts2.ct.not-a-list', { domain }));
    if (parsed.length > limits.maxEntries) {
      return failed(
        'protocol-error',
        msg('texts2.ct.too-many', { domain, count: parsed.length, max: limits.maxEntries }),
      );
    }
    const entries: CtEntry[] = [];
    for (const item of parsed as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      const { name_value: names, not_after: notAfter } = item as Record<string, unknown>;
      if (typeof names !== 'string') continue;
      entries.push({ name_value: names, ...(typeof notAfter === 'string' ? { not_after: notAfter } : {}) });
    }
    return observed(entries);
  } catch (error) {
    if (signal.aborted) return failed('timeout', msg('texts2.ct.timeout', { domain, ms: limits.timeoutMs }));
    return failed(reasonOf(error), msg('texts2.ct.unreachable', { domain, error: describeError(error) }));
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}
