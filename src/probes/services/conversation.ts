import { isIP, Socket } from 'node:net';
import tls from 'node:tls';
import type { ErrorReason } from '../../domain/index.js';
import { connectErrorReason, errorCode, errorText } from '../socket-errors.js';
import { sharedSecureContext } from '../secure-contexts.js';

/** Where a service is probed: `host` names it (SNI, Host header), `address` pins where to connect. */
export interface ServiceTarget {
  host: string;
  address?: string;
  port: number;
}

/** How a wait ended: its condition met, the peer closed, time ran out, or the byte budget is spent. */
export type WaitEnd = 'done' | 'ended' | 'timeout' | 'full';

export interface ConnectOptions {
  connectTimeoutMs: number;
  /** Epoch milliseconds after which every wait of the conversation ends. */
  deadline: number;
  /** Bytes kept from the peer; the connection is dropped when it sends more. */
  maxBytes: number;
  /** Speak TLS (certificate not verified: the probe only identifies the service). */
  tls?: boolean;
}

export type ConnectResult =
  { status: 'open'; conversation: Conversation } | { status: 'failed'; reason: ErrorReason; detail: string };

/**
 * One bounded connection: what the peer sent is kept (at most `maxBytes`), and every wait ends at
 * the earliest of its own timeout and the conversation's deadline. Never throws.
 */
export class Conversation {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private cache: Buffer | undefined;
  private isEnded = false;
  private isFull = false;
  private wake: (() => void) | undefined;
  /** How the peer ended the connection (`closed`, `reset` …), once it did. */
  endedHow: string | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly deadline: number,
    private readonly maxBytes: number,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd('closed'));
    socket.on('close', () => this.onEnd('closed'));
    socket.on('error', (err: Error) => {
      const code = errorCode(err);
      this.onEnd(code === 'ECONNRESET' ? 'reset' : `error ${code ?? errorText(err)}`);
    });
  }

  /** Everything received so far (bounded). */
  get received(): Buffer {
    this.cache ??= Buffer.concat(this.chunks, this.size);
    return this.cache;
  }

  get ended(): boolean {
    return this.isEnded;
  }

  get full(): boolean {
    return this.isFull;
  }

  remainingMs(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  send(data: Buffer): void {
    if (this.isEnded || this.socket.destroyed) return;
    this.socket.write(data, () => undefined);
  }

  /** Resolves when `done(received)` holds, the peer ends, the budget is spent, or after `timeoutMs`. */
  waitFor(done: (received: Buffer) => boolean, timeoutMs: number): Promise<WaitEnd> {
    return new Promise<WaitEnd>((resolve) => {
      const outcome = (): WaitEnd | undefined => {
        if (holds(done, this.received)) return 'done';
        if (this.isFull) return 'full';
        if (this.isEnded) return 'ended';
        return undefined;
      };
      const now = outcome();
      if (now !== undefined) return resolve(now);
      const finish = (end: WaitEnd): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(end);
      };
      const timer = setTimeout(() => finish('timeout'), Math.max(0, Math.min(timeoutMs, this.remainingMs())));
      this.wake = () => {
        const end = outcome();
        if (end !== undefined) finish(end);
      };
    });
  }

  /**
   * Reads until `done` holds, or until the peer has been quiet for `idleMs` after saying something,
   * or nothing came within `timeoutMs`. `idle` means it spoke, then stopped.
   */
  async collect(opts: {
    timeoutMs: number;
    idleMs: number;
    done?: (received: Buffer) => boolean;
  }): Promise<WaitEnd | 'idle'> {
    const until = Date.now() + opts.timeoutMs;
    const done = opts.done ?? (() => false);
    for (;;) {
      const before = this.size;
      const left = until - Date.now();
      const end = await this.waitFor(
        (b) => b.length > before || done(b),
        before === 0 ? left : Math.min(opts.idleMs, left),
      );
      if (holds(done, this.received)) return 'done';
      if (end === 'timeout') return this.size > 0 ? 'idle' : 'timeout';
      if (end !== 'done') return end;
    }
  }

  close(): void {
    this.socket.destroy();
    this.onEnd('closed');
  }

  private onData(chunk: Buffer): void {
    if (this.isFull) return;
    const room = this.maxBytes - this.size;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.size += kept.length;
    this.cache = undefined;
    if (chunk.length >= room) {
      // Budget spent: stop reading at once, whatever the peer keeps sending.
      this.isFull = true;
      this.socket.destroy();
    }
    this.wake?.();
  }

  private onEnd(how: string): void {
    if (this.isEnded) return;
    this.isEnded = true;
    this.endedHow = how;
    this.wake?.();
  }
}

/**
 * A condition on untrusted bytes, evaluated in socket callbacks: a parser that throws must not
 * take the process down, so a throw ends the wait and the probe's own parsing decides.
 */
function holds(condition: (received: Buffer) => boolean, received: Buffer): boolean {
  try {
    return condition(received);
  } catch {
    return true;
  }
}

/** SNI only for names: an IP literal is not a valid server name. */
const serverName = (host: string): string | undefined => (isIP(host) === 0 ? host : undefined);

/**
 * Connects to the target (plain TCP, or TLS) within `connectTimeoutMs`. Resolves exactly once,
 * never rejects; a failed attempt's socket is destroyed.
 */
export function connect(target: ServiceTarget, opts: ConnectOptions): Promise<ConnectResult> {
  return new Promise<ConnectResult>((resolve) => {
    const timeoutMs = Math.max(1, Math.min(opts.connectTimeoutMs, opts.deadline - Date.now()));
    const host = target.address ?? target.host;
    const name = serverName(target.host);
    let socket: Socket;
    try {
      socket = opts.tls
        ? tls.connect({
            host,
            port: target.port,
            rejectUnauthorized: false,
            secureContext: sharedSecureContext({}),
            ...(name === undefined ? {} : { servername: name }),
          })
        : new Socket();
    } catch (err) {
      resolve({ status: 'failed', reason: 'internal', detail: `cannot connect: ${errorText(err)}` });
      return;
    }
    let settled = false;
    let tcpConnected = false;
    const settle = (result: ConnectResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (result.status !== 'open') socket.destroy();
      resolve(result);
    };
    const failed = (reason: ErrorReason, detail: string): void =>
      settle({ status: 'failed', reason, detail });
    const timer = setTimeout(
      () =>
        failed(
          'timeout',
          opts.tls && tcpConnected
            ? `no TLS handshake within ${timeoutMs} ms`
            : `no connection within ${timeoutMs} ms`,
        ),
      timeoutMs,
    );
    const opened = (): void => {
      if (settled) return;
      socket.setNoDelay(true);
      settle({ status: 'open', conversation: new Conversation(socket, opts.deadline, opts.maxBytes) });
    };
    socket.on('error', (err: Error) => {
      const code = errorCode(err);
      failed(
        opts.tls && tcpConnected ? 'handshake-failed' : connectErrorReason(code),
        `${code ?? 'error'}: ${errorText(err)}`,
      );
    });
    socket.on('close', () =>
      failed(
        opts.tls && tcpConnected ? 'handshake-failed' : 'unreachable',
        'connection closed before it was established',
      ),
    );
    if (opts.tls) {
      socket.once('connect', () => (tcpConnected = true));
      socket.once('secureConnect', opened);
      return;
    }
    socket.once('connect', opened);
    try {
      socket.connect({ host, port: target.port });
    } catch (err) {
      failed('internal', `cannot connect: ${errorText(err)}`);
    }
  });
}
