import type { Conversation, ServiceTarget, WaitEnd } from './conversation.js';

/** What a safe probe or a banner signature established about the service on a port. */
export interface Identification {
  /** A service name of checks/services.yaml. */
  service: string;
  version?: string;
  /** Proof of access without authentication, as a protocol transcript (e.g. `PING → +PONG`). */
  unauthenticated?: string;
  /** Printable excerpt of what identified it. */
  banner?: string;
  detail?: string;
}

/** What a probe runs with: the connection it starts on, and the means to open another one. */
export interface ProbeSession {
  target: ServiceTarget;
  /** Plain TCP connection, just opened, nothing sent yet. */
  conversation: Conversation;
  /** Bound on one read (each also ends at the session's deadline). */
  stepMs: number;
  /** Another connection to the same port within the session's deadline, or why it failed. */
  reconnect(opts?: { tls?: boolean }): Promise<Conversation | { failed: string }>;
}

export interface ProbeResult {
  identification?: Identification;
  /** The probe sent bytes on the first connection (so a silent peer may have been put off). */
  spoke: boolean;
  /** How the first connection's exchange ended. */
  end?: WaitEnd | 'idle';
  /** What was learnt without identifying the service (e.g. `HTTP 404`), for the evidence. */
  detail?: string;
  /** Excerpt to report when the service stays unidentified (default: what the peer sent first). */
  banner?: string;
  /** The peer answered in HTTP: an HTTP service may still be identified. */
  http?: boolean;
}

export type TcpServiceProbe = (session: ProbeSession) => Promise<ProbeResult>;

/** Quiet time after which a talking peer is taken to have finished its greeting. */
export const idleMs = (stepMs: number): number => Math.max(50, Math.min(400, Math.floor(stepMs / 4)));
