import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ServiceTarget } from './conversation.js';
import { errorCode, errorText } from '../socket-errors.js';
import { closeQuietly, settleOnce } from '../finish-once.js';

export type UdpAnswer =
  | { status: 'answered'; data: Buffer }
  /** ICMP port unreachable came back. */
  | { status: 'closed'; detail: string }
  /** Nothing came back: open and silent, or filtered; UDP cannot tell. */
  | { status: 'silent'; detail: string }
  | { status: 'failed'; detail: string };

async function resolve(
  target: ServiceTarget,
  timeoutMs: number,
): Promise<{ address: string; family: 4 | 6 }> {
  const literal = target.address ?? target.host;
  const family = isIP(literal);
  if (family === 4 || family === 6) return { address: literal, family };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no DNS answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const found = await Promise.race([lookup(literal), timeout]);
    return { address: found.address, family: found.family === 6 ? 6 : 4 };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends one datagram (again once halfway through the wait, UDP being lossy) and keeps the first
 * answer, at most `maxBytes` of it. Resolves exactly once, never rejects, always closes its socket.
 */
export async function udpExchange(
  target: ServiceTarget,
  payload: Buffer,
  opts: { timeoutMs: number; maxBytes: number; accept?: (data: Buffer) => boolean },
): Promise<UdpAnswer> {
  let destination: { address: string; family: 4 | 6 };
  try {
    destination = await resolve(target, opts.timeoutMs);
  } catch (err) {
    return { status: 'failed', detail: `${errorCode(err) ?? 'dns'}: ${errorText(err)}` };
  }
  return new Promise<UdpAnswer>((done) => {
    let socket: Socket;
    try {
      socket = createSocket(destination.family === 6 ? 'udp6' : 'udp4');
    } catch (err) {
      done({ status: 'failed', detail: errorText(err) });
      return;
    }
    const { finish, timers, settled } = settleOnce<UdpAnswer>(() => closeQuietly(socket), done);
    const send = (): void => {
      if (!settled()) socket.send(payload, () => undefined);
    };
    socket.on('error', (err) => {
      const code = errorCode(err);
      if (code === 'ECONNREFUSED') finish({ status: 'closed', detail: 'ICMP port unreachable' });
      else finish({ status: 'failed', detail: `${code ?? 'error'}: ${errorText(err)}` });
    });
    socket.on('message', (data: Buffer) => {
      if (opts.accept !== undefined && !opts.accept(data)) return;
      finish({ status: 'answered', data: Buffer.from(data.subarray(0, opts.maxBytes)) });
    });
    timers.push(
      setTimeout(
        () =>
          finish({ status: 'silent', detail: `no answer within ${opts.timeoutMs} ms (open or filtered)` }),
        opts.timeoutMs,
      ),
    );
    try {
      socket.connect(target.port, destination.address, () => {
        send();
        timers.push(setTimeout(send, Math.floor(opts.timeoutMs / 2)));
      });
    } catch (err) {
      finish({ status: 'failed', detail: errorText(err) });
    }
  });
}
