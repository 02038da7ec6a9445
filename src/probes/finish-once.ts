import type { Socket as DatagramSocket } from 'node:dgram';
import type { Socket } from 'node:net';

/** A promise's one way out: `finish` clears the timers, releases the socket, then resolves. */
export interface Settlement<T> {
  /** Settles with `result`; later calls do nothing. */
  readonly finish: (result: T) => void;
  /** Timers cleared when it finishes (a deadline, a retransmission). */
  readonly timers: NodeJS.Timeout[];
  /** True once it has finished. */
  readonly settled: () => boolean;
}

export function settleOnce<T>(release: () => void, resolve: (result: T) => void): Settlement<T> {
  let done = false;
  const timers: NodeJS.Timeout[] = [];
  return {
    timers,
    settled: () => done,
    finish: (result) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      release();
      resolve(result);
    },
  };
}

/** Closes a datagram socket, which throws when it is closed already. */
export function closeQuietly(socket: DatagramSocket): void {
  try {
    socket.close();
  } catch {
    // already closed
  }
}

/**
 * The one way out of an exchange on `socket` bounded by a deadline: the returned `finish` settles
 * once (later calls do nothing), clears the deadline and destroys the socket; when `deadlineMs`
 * passes first, it finishes with `onTimeout()`.
 */
export function finishOnce<T>(
  socket: Socket,
  resolve: (result: T) => void,
  deadlineMs: number,
  onTimeout: () => T,
): (result: T) => void {
  const settlement = settleOnce<T>(() => socket.destroy(), resolve);
  settlement.timers.push(setTimeout(() => settlement.finish(onTimeout()), deadlineMs));
  return settlement.finish;
}
