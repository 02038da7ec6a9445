import type { ServiceEntry, ServiceObservation } from '../../domain/index.js';
import { connect, type Conversation, type ConnectOptions, type ServiceTarget } from './conversation.js';
import { httpGetProbe } from './http-get.js';
import { looksLikeHttp } from './http-answer.js';
import {
  idleMs,
  type Identification,
  type ProbeResult,
  type ProbeSession,
  type TcpServiceProbe,
} from './identification.js';
import { printableExcerpt } from './printable.js';
import { PROBES, type UdpServiceProbe } from './probe-registry.js';
import { describeUnknown, matchSignatures } from './signatures.js';
import { errorText } from '../socket-errors.js';
import { udpExchange } from './udp-exchange.js';

/** Bytes kept from one connection: a flooding service is cut off there. */
export const SERVICE_MAX_BYTES = 16 * 1024;

export interface ServiceProbeOptions {
  /** Bound on identifying the service once connected (all its steps); also the UDP wait. */
  timeoutMs: number;
  /** Bound on the TCP connection; default `timeoutMs`. */
  connectTimeoutMs?: number;
}

function observation(
  port: number,
  transport: 'tcp' | 'udp',
  state: ServiceObservation['state'],
  facts: Omit<ServiceObservation, 'port' | 'transport' | 'state'> = {},
): ServiceObservation {
  return { port, transport, state, ...facts };
}

function fromIdentification(port: number, transport: 'tcp' | 'udp', id: Identification): ServiceObservation {
  return observation(port, transport, 'open', {
    service: id.service,
    ...(id.banner === undefined || id.banner === '' ? {} : { banner: id.banner }),
    ...(id.version === undefined ? {} : { version: id.version }),
    ...(id.unauthenticated === undefined ? {} : { unauthenticated: id.unauthenticated }),
    ...(id.detail === undefined ? {} : { detail: id.detail }),
  });
}

async function udpServiceProbe(
  target: ServiceTarget,
  probe: UdpServiceProbe,
  opts: ServiceProbeOptions,
): Promise<ServiceObservation> {
  const answer = await udpExchange(target, probe.request(), {
    timeoutMs: opts.timeoutMs,
    maxBytes: SERVICE_MAX_BYTES,
  });
  switch (answer.status) {
    case 'closed':
      return observation(target.port, 'udp', 'closed', { detail: answer.detail });
    case 'silent':
    case 'failed':
      return observation(target.port, 'udp', 'filtered', { detail: answer.detail });
    case 'answered': {
      const id = probe.recognize(answer.data);
      if (id !== undefined) return fromIdentification(target.port, 'udp', id);
      return observation(target.port, 'udp', 'open', {
        banner: printableExcerpt(answer.data),
        detail: `answer not recognised (${answer.data.length} byte(s))`,
      });
    }
  }
}

/** Why nothing was identified on an open port, in a few words. */
function unknownDetail(result: ProbeResult, c: Conversation, stepMs: number): string {
  if (result.detail !== undefined) return result.detail;
  const received = c.received;
  if (received.length > 0) return `${describeUnknown(received)}${c.full ? ', budget reached' : ''}`;
  if (c.ended) return `connection closed by the peer without data (${c.endedHow ?? 'closed'})`;
  return `no data within ${stepMs} ms`;
}

async function tcpServiceProbe(
  target: ServiceTarget,
  entry: ServiceEntry | undefined,
  run: (expected: string | undefined) => TcpServiceProbe,
  opts: ServiceProbeOptions,
): Promise<ServiceObservation> {
  const connectTimeoutMs = Math.max(1, opts.connectTimeoutMs ?? opts.timeoutMs);
  const stepMs = Math.max(1, opts.timeoutMs);
  const deadline = Date.now() + connectTimeoutMs + stepMs;
  const base: ConnectOptions = { connectTimeoutMs, deadline, maxBytes: SERVICE_MAX_BYTES };
  const opened: Conversation[] = [];
  try {
    const first = await connect(target, base);
    if (first.status === 'failed') {
      const state = first.reason === 'refused' ? 'closed' : 'filtered';
      // Refused and silent are observations about the port; anything else means it was never tried.
      const untried = first.reason !== 'refused' && first.reason !== 'timeout';
      return observation(target.port, 'tcp', state, {
        detail: `${first.reason}: ${first.detail}`,
        ...(untried ? { failure: { reason: first.reason, detail: first.detail } } : {}),
      });
    }
    opened.push(first.conversation);
    const reconnect: ProbeSession['reconnect'] = async (o) => {
      if (Date.now() >= deadline) return { failed: 'time budget spent' };
      const next = await connect(target, { ...base, ...(o?.tls ? { tls: true } : {}) });
      if (next.status === 'failed') return { failed: `${next.reason}: ${next.detail}` };
      opened.push(next.conversation);
      return next.conversation;
    };
    const session: ProbeSession = { target, conversation: first.conversation, stepMs, reconnect };
    const c = first.conversation;
    const result = await run(entry?.name)(session);
    let id = result.identification ?? matchSignatures(c.received);
    if (id === undefined && c.received.length > 0 && !c.ended && !c.full) {
      // Part of a banner may still be on its way (a probe reads only what its protocol needs).
      await c.collect({
        timeoutMs: idleMs(stepMs),
        idleMs: idleMs(stepMs),
        done: (b) => matchSignatures(b) !== undefined,
      });
      id = matchSignatures(c.received);
    }
    let fallback: ProbeResult | undefined;
    if (id === undefined && looksLikeHttp(c.received) && result.http !== true) {
      // An HTTP server on a port expected to speak something else: maybe an HTTP API we know.
      const next = await reconnect();
      if (!('failed' in next)) {
        fallback = await httpGetProbe()({ ...session, conversation: next });
        id = fallback.identification;
      }
    } else if (
      id === undefined &&
      result.spoke &&
      result.detail === undefined &&
      c.received.length === 0 &&
      c.ended
    ) {
      // Hung up on our request before saying anything: listen on a fresh connection.
      const next = await reconnect();
      if (!('failed' in next)) {
        await next.collect({
          timeoutMs: stepMs,
          idleMs: idleMs(stepMs),
          done: (b) => matchSignatures(b) !== undefined,
        });
        id = matchSignatures(next.received);
      }
    }
    if (id !== undefined) return fromIdentification(target.port, 'tcp', id);
    const banner =
      fallback?.banner ?? result.banner ?? (c.received.length > 0 ? printableExcerpt(c.received) : '');
    return observation(target.port, 'tcp', 'open', {
      ...(banner === '' ? {} : { banner }),
      detail: fallback?.detail ?? unknownDetail(result, c, stepMs),
    });
  } finally {
    for (const c of opened) c.close();
  }
}

/**
 * Probes one port: connects (refused → closed, no answer → filtered), runs the entry's safe probe,
 * and names the service only on what it said (its answer, or a known banner signature) — never from
 * the port number. Bounded in time (connect timeout + `timeoutMs`) and in bytes; never throws;
 * never logs in, sends a credential or writes.
 */
export async function serviceProbe(
  target: ServiceTarget,
  entry: ServiceEntry | undefined,
  opts: ServiceProbeOptions,
): Promise<ServiceObservation> {
  const registered = PROBES[entry?.probe ?? 'banner'];
  const transport = registered.transport;
  try {
    if (registered.transport === 'udp') return await udpServiceProbe(target, registered.probe, opts);
    return await tcpServiceProbe(target, entry, registered.run, opts);
  } catch (err) {
    const detail = `internal error: ${errorText(err)}`;
    return observation(target.port, transport, 'filtered', {
      detail,
      failure: { reason: 'internal', detail },
    });
  }
}
