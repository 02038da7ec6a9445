import net from 'node:net';
import pLimit from 'p-limit';

export interface SweepOptions {
  /** Per connection attempt. */
  timeoutMs: number;
  /** Connection attempts started per second, at most (politeness). */
  ratePerSecond: number;
  /** Attempts in flight on one address, at most. */
  perHostConcurrency: number;
  /** Attempts in flight overall, at most. */
  concurrency: number;
}

/** Starts at most `perSecond` tasks each second (a token bucket refilled every 50 ms). */
function pacer(perSecond: number): () => Promise<void> {
  const interval = 1000 / perSecond;
  let next = Date.now();
  return () => {
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + interval;
    const wait = at - now;
    return wait <= 0 ? Promise.resolve() : new Promise((r) => setTimeout(r, wait));
  };
}

function tcpOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(open);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * A TCP connect sweep (no byte sent): for each address, the ports that accepted a connection. Paced
 * (`ratePerSecond`), bounded per address and overall; every attempt ends within `timeoutMs`.
 */
export async function sweepAddresses(
  addresses: readonly string[],
  ports: readonly number[],
  opts: SweepOptions,
): Promise<Map<string, number[]>> {
  const overall = pLimit(opts.concurrency);
  const pace = pacer(opts.ratePerSecond);
  const open = new Map<string, number[]>();
  await Promise.all(
    addresses.map(async (address) => {
      const perHost = pLimit(opts.perHostConcurrency);
      const found: number[] = [];
      await Promise.all(
        ports.map((port) =>
          perHost(() =>
            overall(async () => {
              await pace();
              if (await tcpOpen(address, port, opts.timeoutMs)) found.push(port);
            }),
          ),
        ),
      );
      if (found.length > 0)
        open.set(
          address,
          found.sort((a, b) => a - b),
        );
    }),
  );
  return open;
}
