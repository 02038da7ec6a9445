/** One network endpoint to assess: a host name (used for SNI and certificate name checks) and a port. */
export interface Endpoint {
  /** Name as written by the user: used for SNI, Host and certificate name matching. */
  host: string;
  /** Address to connect to, when pinned; otherwise `host` is resolved. */
  address?: string;
  port: number;
  /** Inventory asset this endpoint belongs to (absent for ad-hoc targets). */
  assetId?: string;
  /** Services the asset declares as meant to be public (`expose:`): their exposure is only noted. */
  expose?: readonly string[];
  /** Path to request for HTTP checks (from a URL target); `/` otherwise. */
  path?: string;
  /** Scanned because it is a default port, not because the user named it: a closed port is not an error. */
  implicit?: boolean;
  /** The TLS probe first upgrades a plain-text session (an MX on port 25 speaks SMTP, then STARTTLS). */
  starttls?: 'smtp';
}

export function endpointKey(e: Pick<Endpoint, 'host' | 'port'>): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}
