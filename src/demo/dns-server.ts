import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import net from 'node:net';
import {
  decodeQuery,
  encodeAnswer,
  encodeTransfer,
  frame,
  FrameReader,
  normaliseName,
  type DecodedQuery,
  type ZoneRecord,
} from '../probes/dns/wire.js';

export type { ZoneRecord } from '../probes/dns/wire.js';

/** What the demo DNS server publishes, and the names it misbehaves for. */
export interface DnsServerOptions {
  /** e.g. `127.0.0.1` or `127.0.0.26`. */
  host: string;
  /** 0 or absent: a port free for both UDP and TCP. */
  port?: number;
  records: ZoneRecord[];
  /** Names always answered SERVFAIL. */
  servfail?: string[];
  /** Zone suffixes answered SERVFAIL unless the query has CD (a validating resolver facing a bogus zone). */
  bogus?: string[];
  /** Names never answered (to test timeouts). */
  silent?: string[];
  /** Zone suffixes whose answers carry AD when the query has DO. */
  validated?: string[];
  /** Names whose UDP answer is always truncated (TC, empty answer), so the client must use TCP. */
  truncate?: string[];
  /** Zones whose transfer (AXFR over TCP) is allowed to anyone; other transfers are REFUSED. */
  axfr?: string[];
  /** Zone suffixes answered REFUSED (a server that is not authoritative for them: a lame delegation). */
  refused?: string[];
}

/** A running demo DNS server (UDP and TCP on one port). */
export interface RunningDnsServer {
  host: string;
  port: number;
  /** `host:port` (`[v6]:port` for IPv6), as `dns.setServers()` takes it. */
  address: string;
  /** Every query read, in arrival order. */
  queries: { name: string; type: string; transport: 'udp' | 'tcp' }[];
  /** Stops both listeners and destroys open TCP connections. */
  close(): Promise<void>;
}

const TCP_IDLE_MS = 5000;
const PORT_ATTEMPTS = 20;

interface Resolution {
  rcode: string;
  authenticated: boolean;
  answers: ZoneRecord[];
}

const underZone = (name: string, zones: readonly string[]): boolean =>
  zones.some((zone) => {
    const z = normaliseName(zone);
    return name === z || z === '' || name.endsWith(`.${z}`);
  });

/** The answer the zone gives to `query`; undefined for a silent name. */
function resolveQuery(opts: DnsServerOptions, query: DecodedQuery): Resolution | undefined {
  const name = normaliseName(query.name);
  const listed = (names: string[] | undefined): boolean =>
    (names ?? []).some((n) => normaliseName(n) === name);
  if (listed(opts.silent)) return undefined;
  const servfail = { rcode: 'SERVFAIL', authenticated: false, answers: [] };
  if (listed(opts.servfail)) return servfail;
  if (underZone(name, opts.bogus ?? []) && !query.checkingDisabled) return servfail;
  if (underZone(name, opts.refused ?? [])) return { rcode: 'REFUSED', authenticated: false, answers: [] };

  let owned = opts.records.filter((r) => normaliseName(r.name) === name);
  // A wildcard (`*.zone`) answers for names that own nothing and have nothing below them.
  if (owned.length === 0 && !opts.records.some((r) => normaliseName(r.name).endsWith(`.${name}`))) {
    const parent = name.slice(name.indexOf('.') + 1);
    owned = opts.records.filter((r) => normaliseName(r.name) === `*.${parent}`);
  }
  let answers = owned.filter((r) => r.type === query.type);
  if (answers.length === 0 && query.type !== 'CNAME') answers = owned.filter((r) => r.type === 'CNAME');
  const answeredType = answers[0]?.type ?? query.type;
  if (query.dnssecOk && query.type !== 'RRSIG') {
    const signatures = owned.filter(
      (r) => r.type === 'RRSIG' && r.data.typeCovered.toUpperCase() === answeredType,
    );
    answers = [...answers, ...signatures];
  }
  const exists = owned.length > 0 || opts.records.some((r) => normaliseName(r.name).endsWith(`.${name}`));
  return {
    rcode: exists || name === '' ? 'NOERROR' : 'NXDOMAIN',
    authenticated: query.dnssecOk && underZone(name, opts.validated ?? []),
    // Owner names echo the question's spelling, as a server with 0x20-randomising clients must.
    answers: answers.map((r) => ({ ...r, name: query.name })),
  };
}

/** A zone transfer: SOA, every record under the zone, SOA again; REFUSED for a zone not listed in `axfr`. */
function transferFor(opts: DnsServerOptions, query: DecodedQuery): Buffer[] {
  const zone = normaliseName(query.name);
  if (!(opts.axfr ?? []).some((z) => normaliseName(z) === zone)) {
    return [answerFor(query, { rcode: 'REFUSED', authenticated: false, answers: [] }, false)];
  }
  const soa = opts.records.find((r) => r.type === 'SOA' && normaliseName(r.name) === zone) ?? {
    name: zone,
    type: 'SOA' as const,
    data: { mname: `ns1.${zone}`, rname: `hostmaster.${zone}` },
  };
  const body = opts.records.filter((r) => r !== soa && underZone(normaliseName(r.name), [zone]));
  return encodeTransfer(query.id, query.name, [soa, ...body, soa]);
}

function answerFor(query: DecodedQuery, resolution: Resolution, truncated: boolean): Buffer {
  return encodeAnswer({
    id: query.id,
    name: query.name,
    type: query.type,
    rcode: resolution.rcode,
    authenticated: resolution.authenticated,
    truncated,
    answers: truncated ? [] : resolution.answers,
    edns: query.edns,
    dnssecOk: query.dnssecOk,
    recursionDesired: query.recursionDesired,
    checkingDisabled: query.checkingDisabled,
  });
}

function bindUdp(socket: UdpSocket, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      resolve(socket.address().port);
    });
  });
}

function listenTcp(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', onError);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

const closeUdp = (socket: UdpSocket): Promise<void> =>
  new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // never bound, or already closed
    }
  });

const closeTcp = (server: net.Server): Promise<void> =>
  new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
  });

/**
 * Starts a small authoritative-looking DNS server on `host` (UDP and TCP on the same port), for the
 * demo estate and the tests: static records, plus names that fail, stay silent or need TCP.
 */
export async function startDnsServer(opts: DnsServerOptions): Promise<RunningDnsServer> {
  const { host } = opts;
  const family = net.isIP(host) === 6 ? 'udp6' : 'udp4';
  const queries: RunningDnsServer['queries'] = [];
  const connections = new Set<net.Socket>();
  const truncateNames = new Set((opts.truncate ?? []).map(normaliseName));

  const onUdp = (udp: UdpSocket, msg: Buffer, rinfo: { address: string; port: number }): void => {
    try {
      const query = decodeQuery(msg);
      queries.push({ name: normaliseName(query.name), type: query.type, transport: 'udp' });
      const resolution = resolveQuery(opts, query);
      if (resolution === undefined) return;
      let answer = answerFor(query, resolution, truncateNames.has(normaliseName(query.name)));
      if (answer.length > query.udpPayloadSize) answer = answerFor(query, resolution, true);
      udp.send(answer, rinfo.port, rinfo.address, () => undefined);
    } catch {
      // A malformed datagram is ignored, as a real server would drop it.
    }
  };

  const onTcp = (socket: net.Socket): void => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    const reader = new FrameReader();
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const msg of reader.push(chunk)) {
          const query = decodeQuery(msg);
          queries.push({ name: normaliseName(query.name), type: query.type, transport: 'tcp' });
          if (query.type === 'AXFR') {
            for (const m of transferFor(opts, query)) socket.write(frame(m));
            continue;
          }
          const resolution = resolveQuery(opts, query);
          if (resolution !== undefined) socket.write(frame(answerFor(query, resolution, false)));
        }
      } catch {
        socket.destroy(); // a malformed message ends this connection only
      }
    });
  };

  const attempts = opts.port === undefined || opts.port === 0 ? PORT_ATTEMPTS : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const udp = createSocket({ type: family });
    const tcp = net.createServer(onTcp);
    try {
      const port = await bindUdp(udp, host, opts.port ?? 0);
      await listenTcp(tcp, host, port);
      udp.on('error', () => undefined);
      udp.on('message', (msg, rinfo) => onUdp(udp, msg, rinfo));
      tcp.on('error', () => undefined);
      return {
        host,
        port,
        address: family === 'udp6' ? `[${host}]:${port}` : `${host}:${port}`,
        queries,
        close: async () => {
          for (const socket of connections) socket.destroy();
          await Promise.all([closeUdp(udp), closeTcp(tcp)]);
        },
      };
    } catch (error) {
      lastError = error;
      await Promise.all([closeUdp(udp), closeTcp(tcp)]);
    }
  }
  throw lastError instanceof Error
    ? lastError
    : new Error(`serveur DNS de démonstration : aucun port libre sur ${host}`);
}
