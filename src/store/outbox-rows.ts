import type { OutboxEntry, OutboxFilter, OutboxKind } from './outbox-repository.js';

/** The `mail_outbox` table's row, its mapping and the listing filter, the same for every backend. */

export interface OutboxRow {
  key: string;
  kind: string;
  subject: string;
  recipients_json: string;
  created_at: string;
  state: string;
  attempts: number;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  sent_at: string | null;
  message_id: string | null;
  last_error: string | null;
}

export function outboxEntryOf(r: OutboxRow): OutboxEntry {
  return {
    key: r.key,
    kind: r.kind as OutboxKind,
    subject: r.subject,
    recipients: JSON.parse(r.recipients_json) as string[],
    createdAt: r.created_at,
    state: r.state as OutboxEntry['state'],
    attempts: r.attempts,
    ...(r.last_attempt_at ? { lastAttemptAt: r.last_attempt_at } : {}),
    ...(r.next_attempt_at ? { nextAttemptAt: r.next_attempt_at } : {}),
    ...(r.sent_at ? { sentAt: r.sent_at } : {}),
    ...(r.message_id ? { messageId: r.message_id } : {}),
    ...(r.last_error ? { lastError: r.last_error } : {}),
  };
}

/** Whether an entry passes a listing filter (states, kind, due by). */
export function outboxMatches(e: OutboxEntry, f: OutboxFilter): boolean {
  return (
    (!f.states || f.states.includes(e.state)) &&
    (!f.kind || e.kind === f.kind) &&
    (!f.dueBy || (e.nextAttemptAt ?? e.createdAt) <= f.dueBy)
  );
}
