import type { ErrorReason } from './outcome.js';

/** What the service probe saw on one port. */
export interface ServiceObservation {
  port: number;
  transport: 'tcp' | 'udp';
  /** closed: refused; filtered: no answer to the connection attempt within the timeout. */
  state: 'open' | 'closed' | 'filtered';
  /** Service identified by a safe probe (a name of checks/services.yaml), when it could be told. */
  service?: string;
  /** Printable excerpt of what the service said first (banner, greeting), bounded. */
  banner?: string;
  /** Software and version the service disclosed, e.g. "OpenSSH_9.2p1", "Redis 7.0.11". */
  version?: string;
  /** Proof that the service answered a request without any authentication (e.g. "PING → +PONG"). */
  unauthenticated?: string;
  /** How the identification was made or why it failed, for the evidence. */
  detail?: string;
  /**
   * The port could not be tried at all (unknown host name, unreachable network, internal error):
   * nothing was observed, so no check of this port may pass.
   */
  failure?: { reason: ErrorReason; detail: string };
}
