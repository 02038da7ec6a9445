import fs from 'node:fs';
import path from 'node:path';

/**
 * Every file vigie writes (database and its -wal/-shm, reports, exports, daemon lock and log) is
 * readable by its owner only, and every directory it creates too, whatever the umask: the mode is
 * set explicitly after creation (`fchmod`/`chmod`), since `open(…, mode)` and `mkdir(…, mode)` are
 * both reduced by the umask.
 *
 * Pre-existing paths: a file vigie owns and writes in place (database, log) is tightened (its
 * group and other bits are removed, never added); a directory that already existed (the data
 * directory made by an administrator, `/tmp` as the parent of `--output`) is left as it is.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` and its missing parents with mode 0700; directories that existed are not touched. */
export function ensurePrivateDir(dir: string): void {
  const target = path.resolve(dir);
  const missing: string[] = [];
  for (let current = target; !fs.existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  fs.mkdirSync(target, { recursive: true, mode: PRIVATE_DIR_MODE });
  for (const created of missing) fs.chmodSync(created, PRIVATE_DIR_MODE);
}

/** The mode without group and other bits; nothing is ever added. */
const tightened = (mode: number): number => mode & 0o700;

/** chmod errors that mean "not ours to change" (another user's file): the mode is left as it is. */
const notOurs = (error: unknown): boolean =>
  ['EPERM', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '');

/**
 * Removes the group and other bits of a file vigie writes in place (0644 → 0600, 0640 → 0600),
 * never adding any. A missing file, or one owned by another user, is left as it is.
 */
export function tightenFileMode(file: string): void {
  let mode: number;
  try {
    mode = fs.statSync(file).mode & 0o777;
    if (mode !== tightened(mode)) fs.chmodSync(file, tightened(mode));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || notOurs(error)) return;
    throw error;
  }
}

function writeAll(fd: number, content: string | Uint8Array): void {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  let offset = 0;
  while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
}

/** Opens `file` with `flags`, created 0600; a file it creates gets 0600 exactly (umask-proof). */
function openPrivate(file: string, flags: string): number {
  const existed = fs.existsSync(file);
  const fd = fs.openSync(file, flags, PRIVATE_FILE_MODE);
  try {
    if (!existed) fs.fchmodSync(fd, PRIVATE_FILE_MODE);
    else {
      const mode = fs.fstatSync(fd).mode & 0o777;
      if (mode !== tightened(mode)) fs.fchmodSync(fd, tightened(mode));
    }
  } catch (error) {
    if (existed && notOurs(error)) return fd;
    fs.closeSync(fd);
    throw error;
  }
  return fd;
}

/** Creates `file` exclusively (EEXIST if it exists), mode 0600, with `content`. */
export function createPrivateFile(file: string, content: string | Uint8Array): void {
  const fd = fs.openSync(file, 'wx', PRIVATE_FILE_MODE);
  try {
    fs.fchmodSync(fd, PRIVATE_FILE_MODE);
    writeAll(fd, content);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    throw error;
  }
  fs.closeSync(fd);
}

/**
 * Writes `file` atomically with mode 0600: a temporary file in the same directory (created 0600),
 * then a rename, so a failed write leaves no half file. Missing parent directories are made 0700.
 */
export function writePrivateFileAtomic(file: string, content: string | Uint8Array): void {
  const target = path.resolve(file);
  ensurePrivateDir(path.dirname(target));
  const temp = `${target}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    createPrivateFile(temp, content);
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * The temporary file of an atomic write in pieces: `write` appends to it, `commit` renames it over
 * `file`, `abort` removes it (each closes it first, once).
 */
function atomicPieces(file: string): {
  write: (piece: string | Uint8Array) => void;
  commit: () => void;
  abort: () => void;
} {
  const target = path.resolve(file);
  ensurePrivateDir(path.dirname(target));
  const temp = `${target}.${process.pid}.${Date.now().toString(36)}.tmp`;
  let fd: number | undefined;
  const close = () => {
    if (fd !== undefined) fs.closeSync(fd);
    fd = undefined;
  };
  try {
    createPrivateFile(temp, '');
    fd = fs.openSync(temp, 'a');
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  const opened = fd;
  return {
    write: (piece) => writeAll(opened, piece),
    commit: () => {
      close();
      fs.renameSync(temp, target);
    },
    abort: () => {
      try {
        close();
      } finally {
        fs.rmSync(temp, { force: true });
      }
    },
  };
}

/**
 * As `writePrivateFileAtomic`, with the content given in pieces by `fill` (a large report is never
 * held whole): the temporary file gets each piece as it comes, then is renamed.
 */
export function writePrivateFileAtomicPieces(
  file: string,
  fill: (write: (piece: string) => void) => void,
): void {
  const pieces = atomicPieces(file);
  try {
    fill(pieces.write);
    pieces.commit();
  } catch (error) {
    pieces.abort();
    throw error;
  }
}

/**
 * {@link writePrivateFileAtomicPieces} when the pieces come from an asynchronous source (store pages),
 * text or bytes (a workbook's zip).
 */
export async function writePrivateFileAtomicPiecesAsync(
  file: string,
  fill: (write: (piece: string | Uint8Array) => void) => Promise<void>,
): Promise<void> {
  const pieces = atomicPieces(file);
  try {
    await fill(pieces.write);
    pieces.commit();
  } catch (error) {
    pieces.abort();
    throw error;
  }
}

/** Creates `file` (0600) if need be, or makes an existing one private, without writing to it. */
export function touchPrivateFile(file: string): void {
  fs.closeSync(openPrivate(file, 'a'));
}

/** An append-only file descriptor on `file` (created 0600, an existing file tightened): logs. */
export function openPrivateAppend(file: string): number {
  ensurePrivateDir(path.dirname(path.resolve(file)));
  return openPrivate(file, 'a');
}
