import { failed, observed, type DnsServerAddress, type Outcome } from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import { dnsQuery } from '../dns/dns-client.js';

/** A name resolved through its CNAME chain. */
export interface ChainResolution {
  /** rcode of the last question (of the last target when there is a chain). */
  rcode: string;
  /** A and AAAA addresses of the last name. */
  addresses: string[];
  /** The CNAME targets followed, in order. */
  cnames: string[];
}

/** Longest CNAME chain followed; a longer one (or a loop) ends as an error. */
export const MAX_CNAME_HOPS = 8;

/**
 * Resolves `name` through `resolver`: A (then AAAA when there is no A), following CNAMEs whether the
 * resolver chases them (whole chain in one answer) or not (one hop per question). A loop or a chain
 * over `MAX_CNAME_HOPS` ends as a protocol error, as does any failed question. Never throws.
 */
export async function resolveChain(
  name: string,
  resolver: DnsServerAddress,
  timeoutMs: number,
): Promise<Outcome<ChainResolution>> {
  const cnames: string[] = [];
  const seen = new Set([name]);
  let current = name;
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const a = await dnsQuery(current, 'A', { server: resolver, timeoutMs });
    if (a.status !== 'observed')
      return a.status === 'error' ? failed(a.reason, a.text ?? a.detail) : failed('internal', a.because);
    const res = a.value;
    // Walk the chain the answer carries, from the current name.
    const byOwner = new Map<string, string>();
    for (const r of res.answers) if (r.type === 'CNAME') byOwner.set(r.name, r.target);
    let next = byOwner.get(current);
    while (next !== undefined) {
      if (seen.has(next))
        return failed(
          'protocol-error',
          msg('texts2.cname.loop', { chain: [name, ...cnames, next].join(' → ') }),
        );
      seen.add(next);
      cnames.push(next);
      if (cnames.length > MAX_CNAME_HOPS)
        return failed('protocol-error', msg('texts2.cname.too-long', { max: MAX_CNAME_HOPS, name }));
      current = next;
      next = byOwner.get(current);
    }
    const addresses = res.answers.flatMap((r) => (r.type === 'A' && r.name === current ? [r.address] : []));
    const chased = res.answers.some((r) => r.type === 'CNAME');
    // The resolver did not chase the last target: ask for it (the answer held only CNAMEs).
    if (
      chased &&
      addresses.length === 0 &&
      res.rcode === 'NOERROR' &&
      res.answers.every((r) => r.type === 'CNAME')
    )
      continue;
    if (res.rcode === 'NOERROR' && addresses.length === 0) {
      const aaaa = await dnsQuery(current, 'AAAA', { server: resolver, timeoutMs });
      if (aaaa.status === 'observed')
        addresses.push(
          ...aaaa.value.answers.flatMap((r) => (r.type === 'AAAA' && r.name === current ? [r.address] : [])),
        );
    }
    return observed({ rcode: res.rcode, addresses, cnames });
  }
  return failed('protocol-error', msg('texts2.cname.too-long', { max: MAX_CNAME_HOPS, name }));
}

/** The reverse (PTR) name of an IPv4 address. */
export function reverseName(address: string): string {
  return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
}
