import { Socket } from 'node:net';
import type { ErrorReason } from '../../domain/outcome.js';
import type { HelloResult, TlsVersionId } from '../../domain/tls.js';
import { suiteName } from '../../domain/cipher-suites.js';
import { buildClientHello } from './client-hello.js';
import type { ServerFlight } from './server-hello.js';
import { ServerFlightReader } from './server-hello.js';
import { smtpStartTls } from './smtp-starttls.js';
import { connectErrorReason, errorCode, errorText } from '../socket-errors.js';

export interface HelloTarget {
  /** Host name: used for SNI, and connected to unless `address` is given. */
  host: string;
  /** Pinned address to connect to. */
  address?: string;
  port: number;
  /** Upgrade a plain-text session first (SMTP STARTTLS), then send the ClientHello on it. */
  starttls?: 'smtp';
}

export interface HelloRequest {
  version: TlsVersionId;
  suites: readonly number[];
  serverName?: string;
  want: 'hello' | 'key-exchange';
  groups?: readonly number[];
  keyShares?: 'x25519' | 'none';
  compression?: readonly number[];
  statusRequest?: boolean;
}

export interface HelloProbeOptions {
  /** Bound on connecting (and STARTTLS), and then again on reading the answer. */
  timeoutMs: number;
}

const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

function fromFlight(flight: Extract<ServerFlight, { state: 'hello' }>): HelloResult {
  const result: HelloResult = {
    kind: 'accepted',
    version: flight.version,
    suite: flight.suite,
    suiteName: suiteName(flight.suite),
  };
  if (flight.certificates !== undefined) result.certificates = flight.certificates;
  if (flight.dhPrimeBits !== undefined) result.dhPrimeBits = flight.dhPrimeBits;
  if (flight.compression !== undefined) result.compression = flight.compression;
  if (flight.extensions !== undefined) result.extensions = flight.extensions;
  if (flight.group !== undefined) result.group = flight.group;
  if (flight.helloRetry === true) result.helloRetry = true;
  return result;
}

/**
 * Sends one hand-built ClientHello and reports what the server made of it. Resolves exactly once,
 * never rejects, and always destroys its socket.
 *
 * A server that closes or resets the connection after our hello without a word is counted as a
 * rejection (many servers refuse that way); one that answers bytes that are not a TLS/SSL answer is
 * a protocol error.
 *
 * With `target.starttls`, the ClientHello goes on the same socket once the plain-text session has
 * been upgraded; a failed upgrade is an error with the reason and detail of `smtpStartTls`.
 */
export function sendHello(
  target: HelloTarget,
  hello: HelloRequest,
  opts: HelloProbeOptions,
): Promise<HelloResult> {
  return new Promise<HelloResult>((resolve) => {
    const timeoutMs = Math.max(1, Math.floor(opts.timeoutMs));
    const socket = new Socket();
    let settled = false;
    let connected = false;
    /** While STARTTLS runs, `smtpStartTls` owns the socket's events. */
    let upgrading = false;
    const deadline = Date.now() + timeoutMs;
    const reader = new ServerFlightReader({ want: hello.want });
    let received = 0;
    let last: ServerFlight = { state: 'need-more' };
    let timer: NodeJS.Timeout | undefined;

    const finish = (result: HelloResult): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const fail = (reason: ErrorReason, detail: string): void => finish({ kind: 'error', reason, detail });

    /** The connection ended (FIN, RST, EPIPE) after it was established. */
    const ended = (how: string): void => {
      if (settled) return;
      if (last.state === 'hello') return finish(fromFlight(last));
      if (received === 0) return finish({ kind: 'rejected', detail: `connection ${how} after ClientHello` });
      fail('protocol-error', `answer of ${received} bytes cut short (connection ${how})`);
    };

    const arm = (what: 'connect' | 'read'): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        if (last.state === 'hello') return finish(fromFlight(last));
        fail(
          'timeout',
          what === 'connect'
            ? `no connection within ${timeoutMs} ms`
            : received === 0
              ? `no answer to ClientHello within ${timeoutMs} ms`
              : `incomplete answer (${received} bytes) within ${timeoutMs} ms`,
        );
      }, timeoutMs);
    };

    let payload: Buffer;
    try {
      payload = buildClientHello({
        version: hello.version,
        suites: hello.suites,
        ...(hello.serverName === undefined ? {} : { serverName: hello.serverName }),
        ...(hello.groups === undefined ? {} : { groups: hello.groups }),
        ...(hello.keyShares === undefined ? {} : { keyShares: hello.keyShares }),
        ...(hello.compression === undefined ? {} : { compression: hello.compression }),
        ...(hello.statusRequest === undefined ? {} : { statusRequest: hello.statusRequest }),
      });
    } catch (err) {
      resolve({ kind: 'error', reason: 'internal', detail: `cannot build ClientHello: ${errorText(err)}` });
      return;
    }

    const sendPayload = (): void => {
      arm('read');
      socket.write(payload);
    };
    socket.on('connect', () => {
      connected = true;
      socket.setNoDelay(true);
      if (target.starttls !== 'smtp') return sendPayload();
      // smtpStartTls bounds the upgrade by what is left of the connect deadline.
      if (timer !== undefined) clearTimeout(timer);
      upgrading = true;
      void smtpStartTls(socket, { timeoutMs: Math.max(1, deadline - Date.now()) }).then(
        (upgrade) => {
          upgrading = false;
          if (settled) return;
          if (!upgrade.ok) return fail(upgrade.reason, upgrade.detail);
          socket.resume();
          sendPayload();
        },
        (err: unknown) => {
          upgrading = false;
          fail('internal', `STARTTLS: ${errorText(err)}`);
        },
      );
    });
    socket.on('data', (chunk: Buffer) => {
      if (settled || upgrading) return;
      received += chunk.length;
      last = reader.push(chunk);
      switch (last.state) {
        case 'need-more':
          return;
        case 'hello':
          if (last.complete) finish(fromFlight(last));
          return;
        case 'alert':
          finish({
            kind: 'rejected',
            detail: `${last.level === 1 ? 'warning' : 'fatal'} alert ${last.descriptionName} (${last.description})`,
          });
          return;
        case 'invalid':
          fail('protocol-error', last.detail);
          return;
      }
    });
    socket.on('end', () => {
      if (!upgrading) ended('closed');
    });
    socket.on('close', () => {
      if (upgrading) return;
      if (connected) ended('closed');
      else fail('unreachable', 'connection closed before it was established');
    });
    socket.on('error', (err: Error) => {
      if (settled || upgrading) return;
      const code = errorCode(err);
      if (!connected) return fail(connectErrorReason(code), `${code ?? 'error'}: ${errorText(err)}`);
      if (code !== undefined && CLOSED_CODES.has(code)) return ended(code === 'EPIPE' ? 'closed' : 'reset');
      if (code === 'ETIMEDOUT') return fail('timeout', `${code}: ${errorText(err)}`);
      fail('unreachable', `${code ?? 'error'}: ${errorText(err)}`);
    });

    arm('connect');
    try {
      socket.connect({ host: target.address ?? target.host, port: target.port });
    } catch (err) {
      fail('internal', `cannot connect: ${errorText(err)}`);
    }
  });
}
