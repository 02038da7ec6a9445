import type { EndpointResult } from '../../domain/index.js';

/** The facts kept per endpoint and run (store `facts`): what the latest report shows without re-scanning. */
export type StoredEndpointFacts = Pick<
  EndpointResult,
  'tls' | 'http' | 'service' | 'dns' | 'smtp' | 'closed' | 'errors'
> &
  /** The address scanned, kept by the parts of a distributed run (its output is read from the store). */
  Pick<EndpointResult, 'address'>;

/** Reads facts back; anything unexpected (an older version's blob) gives no facts rather than a crash. */
export function readFacts(facts: unknown): StoredEndpointFacts {
  return typeof facts === 'object' && facts !== null ? facts : {};
}
