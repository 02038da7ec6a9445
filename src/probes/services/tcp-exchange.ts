import { failed, observed, type Outcome } from '../../domain/index.js';
import { connect, type ServiceTarget } from './conversation.js';
import { idleMs } from './identification.js';
import { errorText } from '../socket-errors.js';

/** Largest `maxBytes` honoured. */
const MAX_BYTES_CAP = 256 * 1024;
const DEFAULT_MAX_BYTES = 16 * 1024;

/**
 * Connects, sends `send` (if any) and keeps what the server says until it pauses, closes, reaches
 * `maxBytes`, or `timeoutMs` passes (the connection itself is bounded by `timeoutMs` too). A port
 * that accepts but says nothing is observed with an empty buffer; refused, timed-out, unreachable
 * and DNS failures are errors with their reason. Never throws; always closes its socket.
 */
export async function tcpExchange(
  target: ServiceTarget,
  opts: { send?: Buffer; timeoutMs: number; maxBytes?: number },
): Promise<Outcome<{ received: Buffer }>> {
  const timeoutMs = Math.max(1, opts.timeoutMs);
  const maxBytes = Math.max(1, Math.min(opts.maxBytes ?? DEFAULT_MAX_BYTES, MAX_BYTES_CAP));
  try {
    const opened = await connect(target, {
      connectTimeoutMs: timeoutMs,
      deadline: Date.now() + 2 * timeoutMs,
      maxBytes,
    });
    if (opened.status === 'failed') return failed(opened.reason, opened.detail);
    const c = opened.conversation;
    try {
      if (opts.send !== undefined && opts.send.length > 0) c.send(opts.send);
      await c.collect({ timeoutMs, idleMs: idleMs(timeoutMs) });
      return observed({ received: Buffer.from(c.received) });
    } finally {
      c.close();
    }
  } catch (err) {
    return failed('internal', errorText(err));
  }
}
