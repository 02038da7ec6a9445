import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { VigieError } from '../../domain/index.js';
import type { LeaseHolder } from '../../store/index.js';
import type { AppContext } from './context.js';
import { withDataStore } from './data-store.js';

/** A holder, as leases name it: machine, pid, and a random part (a pid is reused; one per holding). */
const newOwner = (): string => `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/**
 * Runs `fn` holding the store's lease `name` (for at most `ttlMs`: a holder that died frees it then),
 * so that of the processes sharing a store — two daemons, a timer on another machine — one does the
 * work at a time. When another holds it, `busy(holder)` is thrown and `fn` does not run. `owner`:
 * a stable holder name (a queue job's id), so that the same work taken again after its process died
 * takes its own lease back at once. `renewEveryMs`: while `fn` runs, the lease is extended this
 * often (a short `ttlMs` then frees it soon after its holder died, never while it lives).
 */
export async function withLease<T>(
  ctx: AppContext,
  name: string,
  ttlMs: number,
  busy: (holder: LeaseHolder) => VigieError,
  fn: () => Promise<T>,
  owner: string = newOwner(),
  renewEveryMs?: number,
): Promise<T> {
  const acquire = () => {
    const now = ctx.clock.now();
    return withDataStore(ctx, (s) =>
      s.daemon.acquireLease(name, {
        owner,
        at: now.toISOString(),
        until: new Date(now.getTime() + ttlMs).toISOString(),
      }),
    );
  };
  const holder = await acquire();
  if (holder !== undefined) throw busy(holder);
  // A renewal that fails (store unreachable a moment) is tried again at the next tick.
  const timer =
    renewEveryMs === undefined
      ? undefined
      : setInterval(() => void acquire().catch(() => undefined), renewEveryMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
    await withDataStore(ctx, (s) => s.daemon.releaseLease(name, owner));
  }
}
