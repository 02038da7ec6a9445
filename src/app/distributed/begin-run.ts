import { SCORING_VERSION } from '../../domain/index.js';
import type { AppContext } from '../shared/context.js';
import { openAppStore } from '../shared/data-store.js';

/**
 * Begins a distributed run in the store, then `enqueue`s its jobs. Should either fail, the run is
 * abandoned: a run begun without its jobs is never left to wait. `again`: an earlier attempt (a
 * scheduled occurrence enqueued twice) may have begun it and died before its jobs: begin it afresh.
 */
export async function beginRun(
  ctx: AppContext,
  run: { id: string; startedAt: string; targets: string[] },
  started: Date,
  enqueue: () => Promise<void>,
  again = false,
): Promise<void> {
  const store = await openAppStore(ctx);
  try {
    if (again) await store.runs.abandon(run.id);
    await store.runs.removeAbandoned(started);
    await store.runs.begin({ ...run, scoringVersion: SCORING_VERSION });
    await enqueue();
  } catch (error) {
    await store.runs.abandon(run.id).catch(() => undefined);
    throw error;
  } finally {
    await store.close();
  }
}
