import { rootCertificates } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import { Agent } from 'undici';
import { failed, observed, type Outcome } from '../../domain/index.js';
import { bareHost, fetchOnce, pinnedLookup, urlFor, type HttpTarget } from './http-client.js';

/** A policy is a few lines; RFC 8461 §3.3 lets senders stop at 64 KiB. */
const MAX_POLICY_BYTES = 64 * 1024;
export const MTA_STS_POLICY_PATH = '/.well-known/mta-sts.txt';

export interface MtaStsFetchOptions {
  timeoutMs: number;
  /** Extra trust anchors (the organisation's CA, the demo's CA), added to Node's roots. */
  trustAnchors: readonly X509Certificate[];
}

/**
 * Fetches `https://mta-sts.<domain>/.well-known/mta-sts.txt` as a sending server would (RFC 8461
 * §3.3): the certificate must be valid for the name (unlike the TLS checks, a certificate problem
 * makes the policy unusable, so it is an error here), redirects are not followed, the body is bounded.
 */
export async function fetchMtaStsPolicy(
  target: HttpTarget,
  opts: MtaStsFetchOptions,
): Promise<Outcome<{ url: string; status: number; contentType: string; body: string }>> {
  const host = bareHost(target.host);
  const agent = new Agent({
    connect: {
      rejectUnauthorized: true,
      ca: [...rootCertificates, ...opts.trustAnchors.map((c) => c.toString())],
      servername: host,
      timeout: opts.timeoutMs,
      ...(target.address ? { lookup: pinnedLookup(target.address) } : {}),
    },
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connections: 1,
  });
  try {
    const url = urlFor('https', target, MTA_STS_POLICY_PATH);
    const res = await fetchOnce(agent, target, url, {
      timeoutMs: opts.timeoutMs,
      maxBodyBytes: MAX_POLICY_BYTES,
      headers: { accept: 'text/plain' },
    });
    if (res.status !== 'observed') return res;
    const page = res.value;
    const contentType = page.headers.find(([name]) => name === 'content-type')?.[1] ?? '';
    if (page.bodyTruncated)
      return failed('protocol-error', `politique de plus de ${MAX_POLICY_BYTES} octets`);
    return observed({ url: page.url, status: page.status, contentType, body: page.body });
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}
