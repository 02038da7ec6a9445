import os from 'node:os';
import type { DaemonHeartbeat, JobRecord } from '../../store/index.js';
import type { AppContext } from '../shared/context.js';
import { readDataStore } from '../shared/data-store.js';
import { configuredTimeZone } from '../shared/organisation-time.js';
import { isProcessAlive } from './daemon-lock.js';

/** A heartbeat older than this means the daemon is gone (it beats every 30 s). */
export const HEARTBEAT_STALE_MS = 2 * 60_000;

export interface DaemonStatus {
  running: boolean;
  pid?: number;
  host?: string;
  startedAt?: string;
  lastBeatAt?: string;
  stoppedAt?: string;
  jobs: JobRecord[];
  /** `organisation.timezone` of vigie.yml: the daemon's schedules run, and its times are shown, in it. */
  timeZone: string;
}

/** Whether a heartbeat says the daemon runs now: recent, not stopped, and its process alive. Pure but for the pid test. */
export function isHeartbeatLive(
  h: DaemonHeartbeat | undefined,
  now: Date,
  alive: (pid: number, host: string) => boolean = (pid, host) =>
    host !== os.hostname() || isProcessAlive(pid),
): boolean {
  if (!h || h.stoppedAt !== undefined) return false;
  if (now.getTime() - new Date(h.beatAt).getTime() > HEARTBEAT_STALE_MS) return false;
  return alive(h.pid, h.hostname);
}

/** What `vigie daemon status` shows, read from the store (never creates a database). */
export async function daemonStatus(ctx: AppContext, inventoryFile?: string): Promise<DaemonStatus> {
  const { heartbeat, jobs } = await readDataStore<{
    heartbeat: DaemonHeartbeat | undefined;
    jobs: JobRecord[];
  }>(ctx, { heartbeat: undefined, jobs: [] }, async (s) => ({
    heartbeat: await s.daemon.readHeartbeat(),
    jobs: await s.daemon.listJobs(),
  }));
  return {
    running: isHeartbeatLive(heartbeat, ctx.clock.now()),
    ...(heartbeat
      ? {
          pid: heartbeat.pid,
          host: heartbeat.hostname,
          startedAt: heartbeat.startedAt,
          lastBeatAt: heartbeat.beatAt,
          ...(heartbeat.stoppedAt === undefined ? {} : { stoppedAt: heartbeat.stoppedAt }),
        }
      : {}),
    jobs,
    timeZone: configuredTimeZone(inventoryFile),
  };
}
