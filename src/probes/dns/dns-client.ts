import { randomInt } from 'node:crypto';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { getServers } from 'node:dns';
import net from 'node:net';
import type { DnsQueryType, DnsResponse, DnsServerAddress } from '../../domain/dns.js';
import { failed, observed, type ErrorReason, type Outcome } from '../../domain/outcome.js';
import { t } from '../../i18n/index.js';
import { closeQuietly, finishOnce, settleOnce } from '../finish-once.js';
import { decodeResponse, encodeQuery, frame, FrameReader, MalformedDnsMessageError } from './wire.js';

/** Options of one DNS query. */
export interface DnsQueryOptions {
  server: DnsServerAddress;
  /** Overall deadline, UDP retransmission and TCP fallback included. */
  timeoutMs: number;
  /** Ask with the DNSSEC OK bit (RRSIGs in the answer, AD from a validating resolver). */
  dnssec?: boolean;
  /** Set the CD bit: a validating resolver answers even for a bogus zone. */
  checkingDisabled?: boolean;
}

/** `host:port`, with brackets around an IPv6 address. */
export function formatResolverAddress(server: DnsServerAddress): string {
  return net.isIP(server.host) === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

const errorCode = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

const errorText = (error: unknown): string =>
  errorCode(error) ?? (error instanceof Error ? error.message : String(error));

const REASON_BY_CODE: Readonly<Record<string, ErrorReason>> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ETIMEDOUT: 'timeout',
};

function socketReason(error: unknown): ErrorReason {
  return REASON_BY_CODE[errorCode(error) ?? ''] ?? 'unreachable';
}

/** Same IP address, whatever its spelling (`2001:DB8::1` and `2001:db8:0::1` are one address). */
function sameAddress(a: string, b: string): boolean {
  const family = net.isIP(a);
  if (family === 0 || family !== net.isIP(b)) return a === b;
  const list = new net.BlockList();
  const type = family === 6 ? 'ipv6' : 'ipv4';
  list.addAddress(a, type);
  return list.check(b, type);
}

type Exchange =
  | { kind: 'answer'; truncated: boolean; response: Omit<DnsResponse, 'transport'> }
  | { kind: 'failed'; outcome: Outcome<DnsResponse> };

interface ExchangeContext {
  query: Buffer;
  id: number;
  server: DnsServerAddress;
  /** Time left for this exchange. */
  budgetMs: number;
  /** `TXT exemple.fr`, for the messages. */
  what: string;
  timeoutDetail: string;
}

function decoded(ctx: ExchangeContext, msg: Buffer, transport: 'UDP' | 'TCP'): Exchange {
  try {
    const { truncated, response } = decodeResponse(msg);
    return { kind: 'answer', truncated, response };
  } catch (error) {
    const server = formatResolverAddress(ctx.server);
    const detail =
      error instanceof MalformedDnsMessageError
        ? t('fr', 'dns.answer.malformed', { transport, server, query: ctx.what })
        : `réponse ${transport} illisible de ${server} pour ${ctx.what} : ${errorText(error)}`;
    return { kind: 'failed', outcome: failed('protocol-error', detail) };
  }
}

/** One UDP exchange: a connected socket, one retransmission at half the budget. */
function udpExchange(ctx: ExchangeContext): Promise<Exchange> {
  return new Promise<Exchange>((resolve) => {
    const { server } = ctx;
    const socket = createSocket(net.isIP(server.host) === 6 ? 'udp6' : 'udp4');
    const { finish, timers, settled } = settleOnce<Exchange>(() => closeQuietly(socket), resolve);
    const fail = (error: unknown): void => {
      const reason = socketReason(error);
      const detail =
        reason === 'refused'
          ? `${formatResolverAddress(server)} refuse les requêtes DNS (port UDP fermé) pour ${ctx.what}`
          : `échange UDP avec ${formatResolverAddress(server)} impossible pour ${ctx.what} : ${errorText(error)}`;
      finish({ kind: 'failed', outcome: failed(reason, detail) });
    };
    const send = (): void => {
      if (settled()) return;
      socket.send(ctx.query, (error) => {
        if (error) fail(error);
      });
    };
    // Also keeps an 'error' after finish() from becoming an uncaught exception.
    socket.on('error', (error) => fail(error));
    socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
      // The socket is connected, so the kernel drops other senders; check anyway, then the id.
      if (rinfo.port !== server.port || !sameAddress(rinfo.address, server.host)) return;
      if (msg.length < 2 || msg.readUInt16BE(0) !== ctx.id) return;
      finish(decoded(ctx, msg, 'UDP'));
    });
    timers.push(
      setTimeout(
        () => finish({ kind: 'failed', outcome: failed('timeout', ctx.timeoutDetail) }),
        ctx.budgetMs,
      ),
      setTimeout(send, ctx.budgetMs / 2),
    );
    // Connected: ICMP port unreachable comes back as ECONNREFUSED instead of silence.
    socket.connect(server.port, server.host, send);
  });
}

/** One TCP exchange (after a truncated UDP answer), within what is left of the deadline. */
function tcpExchange(ctx: ExchangeContext): Promise<Exchange> {
  return new Promise<Exchange>((resolve) => {
    const { server } = ctx;
    const reader = new FrameReader();
    const socket = net.connect({ host: server.host, port: server.port });
    const finish = finishOnce<Exchange>(socket, resolve, ctx.budgetMs, () => ({
      kind: 'failed',
      outcome: failed('timeout', ctx.timeoutDetail),
    }));
    socket.on('connect', () => {
      socket.setNoDelay(true);
      socket.write(frame(ctx.query));
    });
    socket.on('data', (chunk: Buffer) => {
      for (const msg of reader.push(chunk)) {
        if (msg.length < 2 || msg.readUInt16BE(0) !== ctx.id) continue;
        finish(decoded(ctx, msg, 'TCP'));
        return;
      }
    });
    socket.on('error', (error) => {
      const reason = socketReason(error);
      const detail =
        reason === 'refused'
          ? `${formatResolverAddress(server)} refuse les connexions TCP (réponse UDP tronquée) pour ${ctx.what}`
          : `échange TCP avec ${formatResolverAddress(server)} impossible pour ${ctx.what} : ${errorText(error)}`;
      finish({ kind: 'failed', outcome: failed(reason, detail) });
    });
    socket.on('close', () =>
      finish({
        kind: 'failed',
        outcome: failed(
          'reset',
          `${formatResolverAddress(server)} a fermé la connexion TCP sans répondre pour ${ctx.what}`,
        ),
      }),
    );
  });
}

/**
 * Asks `server` for the `type` records of `name`: UDP first (one retransmission at half the
 * deadline), TCP when the answer is truncated. Any rcode is an observation; timeouts, refusals and
 * unreadable answers are error outcomes. Never rejects; sockets and timers are always released.
 */
export async function dnsQuery(
  name: string,
  type: DnsQueryType,
  opts: DnsQueryOptions,
): Promise<Outcome<DnsResponse>> {
  const { server, timeoutMs } = opts;
  const what = `${type} ${name}`;
  const where = formatResolverAddress(server);
  try {
    if (net.isIP(server.host) === 0) {
      return failed('internal', `serveur DNS ${where} : une adresse IP est attendue (${what})`);
    }
    const deadline = Date.now() + timeoutMs;
    const timeoutDetail = `pas de réponse de ${where} en ${timeoutMs} ms pour ${what}`;
    const ask = (): { id: number; query: Buffer } => {
      const id = randomInt(0, 65536);
      const query = encodeQuery({
        id,
        name,
        type,
        dnssecOk: opts.dnssec ?? false,
        checkingDisabled: opts.checkingDisabled ?? false,
      });
      return { id, query };
    };
    let first: { id: number; query: Buffer };
    try {
      first = ask();
    } catch (error) {
      return failed('protocol-error', `requête DNS impossible pour ${what} : ${errorText(error)}`);
    }
    const udp = await udpExchange({ ...first, server, budgetMs: timeoutMs, what, timeoutDetail });
    if (udp.kind === 'failed') return udp.outcome;
    if (!udp.truncated) return observed({ ...udp.response, transport: 'udp' });

    const left = deadline - Date.now();
    if (left <= 0) return failed('timeout', timeoutDetail);
    const tcp = await tcpExchange({ ...ask(), server, budgetMs: left, what, timeoutDetail });
    if (tcp.kind === 'failed') return tcp.outcome;
    return observed({ ...tcp.response, transport: 'tcp' });
  } catch (error) {
    return failed('internal', `requête DNS ${what} à ${where} : ${errorText(error)}`);
  }
}

function parsePort(text: string, original: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535))
    throw new Error(`port invalide dans l’adresse de résolveur « ${original} »`);
  return port;
}

/** Reads `9.9.9.9`, `9.9.9.9:5353`, `2001:db8::1` or `[2001:db8::1]:53` (port 53 by default); throws otherwise. */
export function parseResolverAddress(text: string): DnsServerAddress {
  const input = text.trim();
  if (net.isIP(input) !== 0) return { host: input, port: 53 };
  const bracketed = /^\[([^\]]+)\](?::([^:]*))?$/.exec(input);
  if (bracketed !== null) {
    const host = bracketed[1] ?? '';
    if (net.isIP(host) !== 6) throw new Error(`adresse IPv6 invalide : « ${text} »`);
    return { host, port: bracketed[2] === undefined ? 53 : parsePort(bracketed[2], text) };
  }
  const withPort = /^([^:]+):([^:]*)$/.exec(input);
  if (withPort !== null && net.isIP(withPort[1] ?? '') === 4) {
    return { host: withPort[1] ?? '', port: parsePort(withPort[2] ?? '', text) };
  }
  throw new Error(
    `adresse de résolveur invalide : « ${text} » (attendu : 9.9.9.9, 9.9.9.9:5353, 2001:db8::1 ou [2001:db8::1]:53)`,
  );
}

/** The first resolver the system is configured with (`dns.getServers()`), or 127.0.0.1:53. */
export function systemResolver(): DnsServerAddress {
  for (const entry of getServers()) {
    try {
      return parseResolverAddress(entry);
    } catch {
      // an entry node itself wrote should parse; try the next one
    }
  }
  return { host: '127.0.0.1', port: 53 };
}
