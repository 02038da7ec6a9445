import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OperationalError } from '../domain/index.js';

export const DAEMON_LOCK_FILE = 'daemon.lock';

export interface DaemonLockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

/** Another live daemon holds the data directory. */
export class DaemonLockedError extends OperationalError {
  override name = 'DaemonLockedError';
  constructor(
    readonly lockFile: string,
    readonly holder: DaemonLockInfo,
  ) {
    super(
      `un démon vigie tourne déjà sur ce répertoire de données (pid ${holder.pid} sur ${holder.host}, depuis ${holder.startedAt}) : ${lockFile}`,
      { hint: 'arrêtez-le (kill -TERM ' + String(holder.pid) + ') ou utilisez un autre VIGIE_DATA_DIR' },
    );
  }
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

function readLock(file: string): DaemonLockInfo | undefined {
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DaemonLockInfo>;
    if (typeof data.pid !== 'number') return undefined;
    return { pid: data.pid, host: String(data.host ?? ''), startedAt: String(data.startedAt ?? '') };
  } catch {
    return undefined;
  }
}

export interface HeldLock {
  file: string;
  info: DaemonLockInfo;
  /** The stale lock that was recovered, if any. */
  recovered?: DaemonLockInfo | { unreadable: true };
  release(): void;
}

/**
 * Takes `<dataDir>/daemon.lock` (created exclusively). A lock whose process is dead (same host) or
 * unreadable is stale: it is removed and taken over. A live holder → DaemonLockedError.
 */
export function acquireDaemonLock(
  dataDir: string,
  info: DaemonLockInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() },
): HeldLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DAEMON_LOCK_FILE);
  let recovered: HeldLock['recovered'];
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${JSON.stringify(info)}\n`, { flag: 'wx', mode: 0o644 });
      return {
        file,
        info,
        ...(recovered ? { recovered } : {}),
        release: () => {
          // Only our own lock is removed (never one taken over by another daemon).
          if (readLock(file)?.pid === info.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new OperationalError(`verrou ${file} impossible à créer`, { cause: error });
      }
    }
    const holder = readLock(file);
    const alive = holder !== undefined && (holder.host !== info.host || isProcessAlive(holder.pid));
    if (holder && alive) throw new DaemonLockedError(file, holder);
    recovered = holder ?? { unreadable: true };
    fs.rmSync(file, { force: true });
  }
  throw new OperationalError(`verrou ${file} disputé : un autre démon démarre en même temps`);
}
