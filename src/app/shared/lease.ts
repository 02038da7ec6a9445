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
 * takes its own lease back at once.
 */
export async function withLease<T>(
  ctx: AppContext,
  name: string,
  ttlMs: number,
  busy: (holder: LeaseHolder) => VigieError,
  fn: () => Promise<T>,
  owner: string = newOwner(),
): Promise<T> {
  const now = ctx.clock.now();
  const holder = await withDataStore(ctx, (s) =>
    s.daemon.acquireLease(name, {
      owner,
      at: now.toISOString(),
      until: new Date(now.getTime() + ttlMs).toISOString(),
    }),
  );
  if (holder !== undefined) throw busy(holder);
  try {
    return await fn();
  } finally {
    await withDataStore(ctx, (s) => s.daemon.releaseLease(name, owner));
  }
}
