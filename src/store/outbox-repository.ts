export type OutboxKind = 'digest' | 'alert' | 'test';

/** One mail to send exactly once, recorded before and after sending. */
export interface OutboxEntry {
  /** Stable identity: `digest:2026-W48`, `alert:cert:<fingerprint>:14`, `alert:finding:<fingerprint>` … */
  key: string;
  kind: OutboxKind;
  subject: string;
  recipients: string[];
  createdAt: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastAttemptAt?: string;
  nextAttemptAt?: string;
  sentAt?: string;
  messageId?: string;
  lastError?: string;
}

export interface OutboxReservation {
  key: string;
  kind: OutboxKind;
  subject: string;
  recipients: readonly string[];
  at: string;
}

export interface OutboxFilter {
  states?: readonly OutboxEntry['state'][];
  /** Only the entries whose next attempt is due by then. */
  dueBy?: string;
  kind?: OutboxKind;
}

/** The mail outbox: each mail is sent exactly once. */
export interface OutboxRepository {
  /** Records a mail to send; an existing key is left as it is (`created` false): never sent twice. */
  reserve(e: OutboxReservation): Promise<{ entry: OutboxEntry; created: boolean }>;
  get(key: string): Promise<OutboxEntry | undefined>;
  /**
   * Takes a mail to send it now, for one process only: the entry when it is not sent and its next
   * attempt is due by `at`, which then moves to `until` (no other process takes it before; after a
   * crash mid-send it is due again then). Undefined when sent, not due, taken already, or unknown.
   */
  claim(key: string, r: { at: string; until: string }): Promise<OutboxEntry | undefined>;
  markSent(key: string, r: { at: string; messageId?: string }): Promise<void>;
  markFailed(key: string, r: { at: string; error: string; nextAttemptAt: string }): Promise<void>;
  /** Outbox entries, oldest first. */
  list(filter?: OutboxFilter): Promise<OutboxEntry[]>;
}
