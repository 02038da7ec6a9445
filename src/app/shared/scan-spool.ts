import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';

/** Where one record lies in the spool file. */
export interface SpoolRef {
  at: number;
  length: number;
}

/** Bytes gathered before one write to the file. */
const WRITE_EVERY = 64 * 1024;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The spools open in this process: removed on an interruption that would end it. */
const openSpools = new Set<ScanSpool>();
const listening = new Set<NodeJS.Signals>();

/**
 * A signal that would end the process (nobody else listens for it): the open spools are removed,
 * then the signal does what it would have done. A process that handles the signal itself (the
 * worker and the daemon finish their work on SIGTERM and SIGINT) is left alone: its spools go at
 * exit, or when its scans end.
 */
function onSignal(signal: NodeJS.Signals): void {
  listening.delete(signal);
  for (const spool of [...openSpools]) spool.close();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function listen(): void {
  for (const signal of SIGNALS) {
    if (listening.has(signal) || process.listenerCount(signal) > 0) continue;
    listening.add(signal);
    process.once(signal, onSignal);
  }
}

function unlisten(): void {
  if (openSpools.size > 0) return;
  for (const signal of listening) process.off(signal, onSignal);
  listening.clear();
}

/**
 * A scan's results set aside on disk while it runs, read back one record at a time to write its
 * output: memory holds where each record is, not the record. The file is private (0600, in a
 * directory of its own, 0700, under the system's temporary directory) and is removed by
 * {@link ScanSpool.close}, at the latest when the process exits or is ended by a signal it does not
 * handle itself (SIGINT, SIGTERM, SIGHUP). Records are V8-serialised: they read back exactly as written (`undefined`, dates). They
 * must be plain data (a scan's endpoints and findings are: the JSON contract): a Buffer or typed array
 * in one would read back as a view of the buffer that the next read reuses.
 */
export class ScanSpool {
  readonly dir: string;
  readonly file: string;
  private fd: number | undefined;
  private size = 0;
  private written = 0;
  private pending: Buffer[] = [];
  /** One buffer reused by every read: a read allocates nothing outside the heap but its record. */
  private scratch = Buffer.alloc(0);
  private readonly onExit = (): void => this.close();

  constructor(parent = os.tmpdir()) {
    this.dir = fs.mkdtempSync(path.join(parent, 'vigie-scan-'));
    fs.chmodSync(this.dir, 0o700);
    this.file = path.join(this.dir, 'results.bin');
    try {
      this.fd = fs.openSync(this.file, 'wx+', 0o600);
    } catch (error) {
      fs.rmSync(this.dir, { recursive: true, force: true });
      throw error;
    }
    process.once('exit', this.onExit);
    openSpools.add(this);
    listen();
  }

  /** Sets a record aside; where it lies is all the caller keeps. */
  write(value: unknown): SpoolRef {
    const bytes = serialize(value);
    const ref = { at: this.size, length: bytes.length };
    this.pending.push(bytes);
    this.size += bytes.length;
    if (this.size - this.written >= WRITE_EVERY) this.flush();
    return ref;
  }

  /** The record at `ref`, as written. */
  read<T>(ref: SpoolRef): T {
    this.flush();
    if (this.scratch.length < ref.length) this.scratch = Buffer.allocUnsafe(Math.max(ref.length, 64 * 1024));
    const bytes = this.scratch.subarray(0, ref.length);
    let got = 0;
    while (got < ref.length) {
      const n = fs.readSync(this.openFd(), bytes, got, ref.length - got, ref.at + got);
      if (n === 0) throw new Error(`spool: ${this.file} is shorter than expected`);
      got += n;
    }
    return deserialize(bytes) as T;
  }

  /** Closes and removes the file and its directory; again is harmless. */
  close(): void {
    process.off('exit', this.onExit);
    openSpools.delete(this);
    unlisten();
    if (this.fd !== undefined) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // Already closed: removing is what matters.
      }
      this.fd = undefined;
    }
    this.pending = [];
    this.scratch = Buffer.alloc(0);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private openFd(): number {
    if (this.fd === undefined) throw new Error('spool: closed');
    return this.fd;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    let done = 0;
    while (done < bytes.length)
      done += fs.writeSync(this.openFd(), bytes, done, bytes.length - done, this.written + done);
    this.written += bytes.length;
  }
}
