import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OperationalError } from '../../domain/index.js';
import { createPrivateFile, ensurePrivateDir } from '../../files/index.js';
import { msg, type CatalogueText } from '../../i18n/index.js';

export const DAEMON_LOCK_FILE = 'daemon.lock';

/** The daemon beats every 30 s (it touches the lock file); a lock silent for 4 beats is stale. */
export const LOCK_STALE_MS = 4 * 30_000;

/** Tells this process's lock from one left with the same pid by an earlier process (a container's PID 1). */
const INSTANCE = randomUUID();

export interface DaemonLockInfo {
  pid: number;
  host: string;
  startedAt: string;
  /** Random per process (absent in locks written before it existed). */
  instance?: string;
  /** Start time of the process in clock ticks since boot (Linux), to see a pid reused by another process. */
  processStart?: string;
}

/** Why a lock found in the data directory was taken over. */
export type LockRecoveryReason =
  'unreadable' | 'dead' | 'own-pid' | 'pid-reused' | 'not-a-daemon' | 'heartbeat';

/** Another live daemon holds the data directory. */
export class DaemonLockedError extends OperationalError {
  override name = 'DaemonLockedError';
  constructor(
    readonly lockFile: string,
    readonly holder: DaemonLockInfo,
    sameHost: boolean,
  ) {
    super(
      msg('texts2.daemon.locked', {
        pid: holder.pid,
        host: holder.host,
        since: holder.startedAt,
        file: lockFile,
      }),
      { hint: lockedHint(holder, sameHost) },
    );
  }
}

/** What to do about a live holder; never "kill PID 1" (a container's main process, or init). */
function lockedHint(holder: DaemonLockInfo, sameHost: boolean): CatalogueText {
  const minutes = LOCK_STALE_MS / 60_000;
  if (!sameHost)
    return msg('texts2.daemon.locked.other-host', { host: holder.host, pid: holder.pid, minutes });
  if (holder.pid === 1) return msg('texts2.daemon.locked.container', { minutes });
  return msg('texts2.daemon.locked.here', { pid: holder.pid });
}

/** Whether a process with this pid exists on this machine (EPERM: it exists, owned by someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What can be learnt of a process on this machine; `undefined`: cannot tell (no /proc, no right). */
export interface ProcessProbe {
  alive(pid: number): boolean;
  commandLine(pid: number): string[] | undefined;
  startTime(pid: number): string | undefined;
}

const readProc = (pid: number, entry: string): string | undefined => {
  try {
    return fs.readFileSync(`/proc/${pid}/${entry}`, 'latin1');
  } catch {
    return undefined;
  }
};

/** Linux's /proc; elsewhere (macOS, BSD) the command line and start time are unknown. */
export const procProcessProbe: ProcessProbe = {
  alive: isProcessAlive,
  commandLine(pid) {
    const raw = readProc(pid, 'cmdline');
    if (raw === undefined || raw === '') return undefined;
    return raw.split('\0').filter((arg, i, all) => arg !== '' || i < all.length - 1);
  },
  startTime(pid) {
    // Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses.
    const raw = readProc(pid, 'stat');
    const fields = raw?.slice(raw.lastIndexOf(')') + 2).split(' ');
    return fields?.[19];
  },
};

/**
 * Whether a command line is a vigie daemon: `… vigie daemon …`, `node …/bin/run.js daemon …` (or
 * bin/dev.js), not `vigie daemon status`.
 */
export function isVigieDaemonCommand(argv: readonly string[]): boolean {
  const at = argv.indexOf('daemon');
  if (at < 1 || argv[at + 1] === 'status') return false;
  return argv.slice(0, at).some((arg) => /(^|\/)vigie$/.test(arg) || /(^|\/)bin\/(run|dev)\.js$/.test(arg));
}

/**
 * Why the lock of `holder` is stale, or `undefined` when its holder may be a live daemon. On this
 * host: our own pid from an earlier process, a dead pid, a pid reused since, a live process that is
 * not a vigie daemon. On any host: no heartbeat (lock file untouched) for `staleAfterMs`. Without
 * /proc, a live pid is taken for a daemon and only the heartbeat can free the lock.
 */
export function lockStaleReason(
  holder: DaemonLockInfo,
  self: { pid: number; host: string; instance: string },
  heartbeatAgeMs: number,
  staleAfterMs: number,
  probe: ProcessProbe,
): LockRecoveryReason | undefined {
  if (holder.host === self.host) {
    if (holder.pid === self.pid) return holder.instance === self.instance ? undefined : 'own-pid';
    if (!probe.alive(holder.pid)) return 'dead';
    const start = holder.processStart === undefined ? undefined : probe.startTime(holder.pid);
    if (start !== undefined && start !== holder.processStart) return 'pid-reused';
    const argv = probe.commandLine(holder.pid);
    if (argv !== undefined && !isVigieDaemonCommand(argv)) return 'not-a-daemon';
  }
  return heartbeatAgeMs > staleAfterMs ? 'heartbeat' : undefined;
}

function readLock(file: string): DaemonLockInfo | undefined {
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Record<keyof DaemonLockInfo, unknown>>;
    if (typeof data.pid !== 'number') return undefined;
    return {
      pid: data.pid,
      host: typeof data.host === 'string' ? data.host : '',
      startedAt: typeof data.startedAt === 'string' ? data.startedAt : '',
      ...(typeof data.instance === 'string' ? { instance: data.instance } : {}),
      ...(typeof data.processStart === 'string' ? { processStart: data.processStart } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Creates the lock whole or not at all: written 0600 under a temporary name, then hard-linked to
 * its name (which fails with EEXIST if a lock is there), so no reader ever sees it half written.
 */
function createLockFile(file: string, content: string): void {
  const temp = `${file}.${process.pid}.${INSTANCE}`;
  createPrivateFile(temp, content);
  try {
    fs.linkSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

export interface RecoveredLock {
  reason: LockRecoveryReason;
  previous?: DaemonLockInfo;
}

export interface HeldLock {
  file: string;
  info: DaemonLockInfo;
  /** The stale lock that was taken over, if any, and why. */
  recovered?: RecoveredLock;
  /** The heartbeat: touches the lock file. False when the lock is no longer ours (taken over). */
  beat(): boolean;
  release(): void;
}

export interface AcquireLockOptions {
  staleAfterMs?: number;
  probe?: ProcessProbe;
  /** Wall-clock time compared with the lock file's modification time (tests). */
  now?: () => number;
}

/**
 * Takes `<dataDir>/daemon.lock` (created exclusively, mode 0600). A lock whose holder is not a live
 * vigie daemon (see `lockStaleReason`), or an unreadable one, is removed and taken over. A live
 * holder → DaemonLockedError.
 */
export function acquireDaemonLock(
  dataDir: string,
  given: Pick<DaemonLockInfo, 'pid' | 'host' | 'startedAt'> = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
  },
  options: AcquireLockOptions = {},
): HeldLock {
  const probe = options.probe ?? procProcessProbe;
  const now = options.now ?? Date.now;
  const processStart = given.pid === process.pid ? probe.startTime(process.pid) : undefined;
  const info: DaemonLockInfo = {
    ...given,
    instance: INSTANCE,
    ...(processStart === undefined ? {} : { processStart }),
  };
  ensurePrivateDir(dataDir);
  const file = path.join(dataDir, DAEMON_LOCK_FILE);
  const ours = (): boolean => {
    const current = readLock(file);
    return current?.pid === info.pid && current.instance === info.instance;
  };
  let recovered: RecoveredLock | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      createLockFile(file, `${JSON.stringify(info)}\n`);
      return {
        file,
        info,
        ...(recovered ? { recovered } : {}),
        beat: () => {
          try {
            // Removed by hand while we run: put it back (unless another daemon got there first).
            if (!fs.existsSync(file)) createLockFile(file, `${JSON.stringify(info)}\n`);
            if (!ours()) return false;
            const at = new Date(now());
            fs.utimesSync(file, at, at);
            return true;
          } catch {
            return false;
          }
        },
        release: () => {
          // Only our own lock is removed (never one taken over by another daemon).
          if (ours()) fs.rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new OperationalError(msg('errlang.daemon.lock-create', { file }), { cause: error });
      }
    }
    const holder = readLock(file);
    let ageMs = 0;
    try {
      ageMs = now() - fs.statSync(file).mtimeMs;
    } catch {
      // Removed meanwhile: the next attempt creates it.
    }
    const reason: LockRecoveryReason | undefined = holder
      ? lockStaleReason(
          holder,
          { pid: info.pid, host: info.host, instance: INSTANCE },
          ageMs,
          options.staleAfterMs ?? LOCK_STALE_MS,
          probe,
        )
      : 'unreadable';
    if (holder && reason === undefined) throw new DaemonLockedError(file, holder, holder.host === info.host);
    recovered = { reason: reason ?? 'unreadable', ...(holder ? { previous: holder } : {}) };
    fs.rmSync(file, { force: true });
  }
  throw new OperationalError(msg('errlang.daemon.lock-race', { file }));
}
