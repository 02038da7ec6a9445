/** One network endpoint to assess: a host name (used for SNI and certificate name checks) and a port. */
export interface Endpoint {
  /** Name as written by the user: used for SNI, Host and certificate name matching. */
  host: string;
  /** Address to connect to, when pinned; otherwise `host` is resolved. */
  address?: string;
  port: number;
  /** Inventory asset this endpoint belongs to (absent for ad-hoc targets). */
  assetId?: string;
}

export function endpointKey(e: Pick<Endpoint, 'host' | 'port'>): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}
