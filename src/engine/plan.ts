import type { Endpoint } from '../domain/index.js';

export const SCAN_CATEGORIES = ['tls'] as const;
export type ScanCategory = (typeof SCAN_CATEGORIES)[number];

/**
 * Ports that speak plain text first (HTTP, mail and file protocols without implicit TLS, databases):
 * an inventory endpoint on one of them gets no direct TLS probe. An ad-hoc `host:port` target is
 * always probed, since the user named it.
 */
const PLAINTEXT_PORTS = new Set([
  21, 22, 23, 25, 53, 80, 110, 143, 389, 587, 3306, 5432, 6379, 8000, 8080, 11211, 27017,
]);

export interface PlannedEndpoint {
  endpoint: Endpoint;
  categories: ScanCategory[];
}

export function planEndpoints(
  endpoints: readonly Endpoint[],
  categories: readonly ScanCategory[],
  opts: { adHoc: boolean },
): PlannedEndpoint[] {
  return endpoints.map((endpoint) => ({
    endpoint,
    categories: categories.filter((c) => c !== 'tls' || opts.adHoc || !PLAINTEXT_PORTS.has(endpoint.port)),
  }));
}
