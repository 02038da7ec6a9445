import { createSocket } from 'node:dgram';
import { promises as dnsPromises } from 'node:dns';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startDnsServer, type RunningDnsServer, type ZoneRecord } from '../../src/demo/dns-server.js';
import type { DnsRecord, DnsResponse } from '../../src/domain/dns.js';
import type { Outcome } from '../../src/domain/outcome.js';
import {
  decodeQuery,
  decodeResponse,
  dnsQuery,
  encodeAnswer,
  encodeQuery,
  frame,
  FrameReader,
  parseResolverAddress,
} from '../../src/probes/dns/index.js';
import { HANG_BOUND_MS } from '../helpers/bounds.js';

const LONG_SPF = `v=spf1 ${Array.from({ length: 30 }, (_, i) => `ip4:192.0.2.${i}`).join(' ')} -all`;
const KEY = Buffer.alloc(64, 7);

const RECORDS: ZoneRecord[] = [
  { name: 'exemple.test', type: 'A', data: '192.0.2.10' },
  { name: 'exemple.test', type: 'AAAA', data: '2001:db8::10' },
  { name: 'exemple.test', type: 'TXT', data: LONG_SPF },
  { name: 'exemple.test', type: 'TXT', data: ['google-site-verification=', 'abc'] },
  { name: 'exemple.test', type: 'MX', ttl: 3600, data: { preference: 10, exchange: 'MX1.Exemple.test.' } },
  { name: 'exemple.test', type: 'MX', data: { preference: 20, exchange: 'mx2.exemple.test' } },
  { name: 'exemple.test', type: 'CAA', data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } },
  { name: 'exemple.test', type: 'CAA', data: { flags: 128, tag: 'iodef', value: 'mailto:dsi@exemple.test' } },
  {
    name: 'exemple.test',
    type: 'SOA',
    data: { mname: 'ns1.exemple.test', rname: 'hostmaster.exemple.test' },
  },
  { name: 'www.exemple.test', type: 'CNAME', data: 'exemple.test' },
  { name: 'a.b.exemple.test', type: 'A', data: '192.0.2.11' },
  { name: 'big.exemple.test', type: 'TXT', data: 'x'.repeat(1500) },
  { name: 'signe.test', type: 'DNSKEY', data: { flags: 257, algorithm: 13, key: KEY } },
  { name: 'signe.test', type: 'DNSKEY', data: { flags: 256, algorithm: 13, key: KEY } },
  {
    name: 'signe.test',
    type: 'RRSIG',
    data: { typeCovered: 'DNSKEY', algorithm: 13, signersName: 'signe.test' },
  },
  { name: 'signe.test', type: 'RRSIG', data: { typeCovered: 'A', algorithm: 13, signersName: 'signe.test' } },
  { name: 'signe.test', type: 'A', data: '192.0.2.20' },
  { name: 'casse.test', type: 'A', data: '192.0.2.30' },
];

async function server(): Promise<RunningDnsServer> {
  const s = await startDnsServer({
    host: '127.0.0.1',
    records: RECORDS,
    servfail: ['panne.exemple.test'],
    bogus: ['casse.test'],
    silent: ['muet.exemple.test'],
    validated: ['signe.test'],
    truncate: ['tronque.exemple.test.'],
  });
  onTestFinished(() => s.close());
  return s;
}

function value(outcome: Outcome<DnsResponse>): DnsResponse {
  if (outcome.status !== 'observed') throw new Error(`expected an answer, got ${JSON.stringify(outcome)}`);
  return outcome.value;
}

/** The record variant(s) whose `type` admits `T` (`A` and `AAAA` share one). */
type RecordOf<T, R = DnsRecord> = R extends { type: infer U } ? (T extends U ? R : never) : never;

function ofType<T extends DnsRecord['type']>(response: DnsResponse, type: T): RecordOf<T>[] {
  return response.answers.filter((a): a is RecordOf<T> => a.type === type);
}

/** A loopback UDP port nobody listens on (bound once, then released). */
async function closedUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

const OPTS = { timeoutMs: 2000 };

describe('dnsQuery against the demo DNS server', () => {
  it('reads TXT records, joining the character-strings of one record (> 255 bytes included)', async () => {
    const s = await server();
    const response = value(await dnsQuery('exemple.test', 'TXT', { server: s, ...OPTS }));
    expect(response).toMatchObject({ rcode: 'NOERROR', authenticated: false, transport: 'udp' });
    const texts = ofType(response, 'TXT').map((r) => r.text);
    expect(texts).toHaveLength(2);
    expect(LONG_SPF.length).toBeGreaterThan(255);
    expect(texts).toContain(LONG_SPF);
    expect(texts).toContain('google-site-verification=abc');
    expect(ofType(response, 'TXT')[0]).toMatchObject({ name: 'exemple.test', ttl: 300 });
  });

  it('reads MX records with lower-case exchanges without trailing dot', async () => {
    const s = await server();
    const response = value(await dnsQuery('Exemple.Test.', 'MX', { server: s, ...OPTS }));
    const mx = ofType(response, 'MX').map(({ preference, exchange, ttl, name }) => ({
      preference,
      exchange,
      ttl,
      name,
    }));
    expect(mx).toEqual(
      expect.arrayContaining([
        { preference: 10, exchange: 'mx1.exemple.test', ttl: 3600, name: 'exemple.test' },
        { preference: 20, exchange: 'mx2.exemple.test', ttl: 300, name: 'exemple.test' },
      ]),
    );
    expect(mx).toHaveLength(2);
  });

  it('reads CAA, A, AAAA, SOA and a CNAME answered for another type', async () => {
    const s = await server();
    const caa = value(await dnsQuery('exemple.test', 'CAA', { server: s, ...OPTS }));
    expect(ofType(caa, 'CAA').map(({ flags, tag, value }) => ({ flags, tag, value }))).toEqual([
      { flags: 0, tag: 'issue', value: 'letsencrypt.org' },
      { flags: 128, tag: 'iodef', value: 'mailto:dsi@exemple.test' },
    ]);
    const a = value(await dnsQuery('exemple.test', 'A', { server: s, ...OPTS }));
    expect(a.answers).toEqual([{ type: 'A', name: 'exemple.test', ttl: 300, address: '192.0.2.10' }]);
    const aaaa = value(await dnsQuery('exemple.test', 'AAAA', { server: s, ...OPTS }));
    expect(ofType(aaaa, 'AAAA')[0]?.address).toBe('2001:db8::10');
    const soa = value(await dnsQuery('exemple.test', 'SOA', { server: s, ...OPTS }));
    expect(ofType(soa, 'SOA')[0]?.mname).toBe('ns1.exemple.test');
    const cname = value(await dnsQuery('www.exemple.test', 'A', { server: s, ...OPTS }));
    expect(cname.answers).toEqual([
      { type: 'CNAME', name: 'www.exemple.test', ttl: 300, target: 'exemple.test' },
    ]);
  });

  it('asks with DNSSEC OK: DNSKEYs come with their RRSIG, and AD from a validated zone', async () => {
    const s = await server();
    const signed = value(await dnsQuery('signe.test', 'DNSKEY', { server: s, ...OPTS, dnssec: true }));
    expect(signed.authenticated).toBe(true);
    expect(ofType(signed, 'DNSKEY').map((k) => [k.flags, k.algorithm])).toEqual([
      [257, 13],
      [256, 13],
    ]);
    expect(ofType(signed, 'RRSIG')).toEqual([
      {
        type: 'RRSIG',
        name: 'signe.test',
        ttl: 300,
        typeCovered: 'DNSKEY',
        algorithm: 13,
        signerName: 'signe.test',
      },
    ]);

    const plain = value(await dnsQuery('signe.test', 'DNSKEY', { server: s, ...OPTS }));
    expect(plain.authenticated).toBe(false);
    expect(ofType(plain, 'RRSIG')).toEqual([]);
    expect(ofType(plain, 'DNSKEY')).toHaveLength(2);

    const unsigned = value(await dnsQuery('exemple.test', 'A', { server: s, ...OPTS, dnssec: true }));
    expect(unsigned.authenticated).toBe(false);
  });

  it('a bogus zone is SERVFAIL without CD and answered with CD', async () => {
    const s = await server();
    const bogus = await dnsQuery('casse.test', 'A', { server: s, ...OPTS, dnssec: true });
    expect(bogus).toEqual({
      status: 'observed',
      value: { rcode: 'SERVFAIL', authenticated: false, answers: [], transport: 'udp' },
    });
    const unchecked = value(
      await dnsQuery('casse.test', 'A', { server: s, ...OPTS, dnssec: true, checkingDisabled: true }),
    );
    expect(unchecked.rcode).toBe('NOERROR');
    expect(ofType(unchecked, 'A')[0]?.address).toBe('192.0.2.30');
  });

  it('tells NXDOMAIN from NOERROR with an empty answer (empty non-terminal, other type)', async () => {
    const s = await server();
    const missing = value(await dnsQuery('absent.exemple.test', 'A', { server: s, ...OPTS }));
    expect(missing).toEqual({ rcode: 'NXDOMAIN', authenticated: false, answers: [], transport: 'udp' });
    const ent = value(await dnsQuery('b.exemple.test', 'TXT', { server: s, ...OPTS }));
    expect(ent).toEqual({ rcode: 'NOERROR', authenticated: false, answers: [], transport: 'udp' });
    const otherType = value(await dnsQuery('a.b.exemple.test', 'MX', { server: s, ...OPTS }));
    expect(otherType).toMatchObject({ rcode: 'NOERROR', answers: [] });
  });

  it('returns SERVFAIL as an observation', async () => {
    const s = await server();
    const response = value(await dnsQuery('panne.exemple.test', 'TXT', { server: s, ...OPTS }));
    expect(response.rcode).toBe('SERVFAIL');
  });

  it('redoes a truncated UDP answer over TCP', async () => {
    const s = await server();
    const response = value(await dnsQuery('tronque.exemple.test', 'A', { server: s, ...OPTS }));
    expect(response).toMatchObject({ rcode: 'NXDOMAIN', transport: 'tcp' });
    expect(s.queries.filter((q) => q.name === 'tronque.exemple.test')).toEqual([
      { name: 'tronque.exemple.test', type: 'A', transport: 'udp' },
      { name: 'tronque.exemple.test', type: 'A', transport: 'tcp' },
    ]);
  });

  it('an answer too big for the advertised UDP payload is truncated, then fetched over TCP', async () => {
    const s = await server();
    const response = value(await dnsQuery('big.exemple.test', 'TXT', { server: s, ...OPTS }));
    expect(response.transport).toBe('tcp');
    expect(ofType(response, 'TXT').map((r) => r.text)).toEqual(['x'.repeat(1500)]);
    expect(s.queries.map((q) => q.transport)).toEqual(['udp', 'tcp']);
  });

  it('a silent name ends as a timeout within the deadline, after one retransmission', async () => {
    const s = await server();
    const started = Date.now();
    const outcome = await dnsQuery('muet.exemple.test', 'TXT', { server: s, timeoutMs: 800 });
    const elapsed = Date.now() - started;
    expect(outcome).toEqual({
      status: 'error',
      reason: 'timeout',
      detail: `pas de réponse de ${s.address} en 800 ms pour TXT muet.exemple.test`,
    });
    expect(elapsed).toBeGreaterThanOrEqual(750);
    expect(elapsed).toBeLessThan(HANG_BOUND_MS);
    expect(s.queries.filter((q) => q.transport === 'udp')).toHaveLength(2);
  });

  it('a UDP port nobody listens on gives an error outcome quickly', async () => {
    const port = await closedUdpPort();
    const started = Date.now();
    const outcome = await dnsQuery('exemple.test', 'A', {
      server: { host: '127.0.0.1', port },
      timeoutMs: 1000,
    });
    expect(outcome.status).toBe('error');
    if (outcome.status === 'error') expect(['refused', 'timeout']).toContain(outcome.reason);
    expect(Date.now() - started).toBeLessThan(HANG_BOUND_MS);
  });

  it('rejects an invalid name as an error outcome instead of throwing', async () => {
    const s = await server();
    const outcome = await dnsQuery(`${'a'.repeat(64)}.test`, 'A', { server: s, ...OPTS });
    expect(outcome).toMatchObject({ status: 'error', reason: 'protocol-error' });
  });

  it('the server survives garbage, over UDP and TCP', async () => {
    const s = await server();
    const socket = createSocket('udp4');
    onTestFinished(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    await new Promise<void>((resolve, reject) =>
      socket.send(Buffer.from('pas du DNS'), s.port, s.host, (e) => (e ? reject(e) : resolve())),
    );
    const { createConnection } = await import('node:net');
    const tcp = createConnection({ host: s.host, port: s.port });
    await new Promise<void>((resolve) => {
      tcp.on('connect', () => tcp.write(frame(Buffer.from('pas du DNS non plus'))));
      tcp.on('close', () => resolve());
      tcp.on('error', () => resolve());
      tcp.setTimeout(3000, () => tcp.destroy());
    });
    expect(value(await dnsQuery('exemple.test', 'A', { server: s, ...OPTS })).rcode).toBe('NOERROR');
  });
});

describe('wire codec', () => {
  it('round-trips a query through the server-side decoder', () => {
    const query = decodeQuery(
      encodeQuery({ id: 4242, name: 'Exemple.test', type: 'DNSKEY', dnssecOk: true, checkingDisabled: true }),
    );
    expect(query).toEqual({
      id: 4242,
      name: 'Exemple.test',
      type: 'DNSKEY',
      edns: true,
      dnssecOk: true,
      checkingDisabled: true,
      recursionDesired: true,
      udpPayloadSize: 1232,
    });
  });

  it('decodes an answer and throws on garbage', () => {
    const answer = encodeAnswer({
      id: 7,
      name: 'exemple.test',
      type: 'TXT',
      rcode: 'NXDOMAIN',
      authenticated: true,
      truncated: true,
      answers: [],
      edns: false,
      dnssecOk: false,
    });
    expect(decodeResponse(answer)).toEqual({
      id: 7,
      truncated: true,
      response: { rcode: 'NXDOMAIN', authenticated: true, answers: [] },
    });
    expect(() => decodeResponse(Buffer.from([1, 2, 3]))).toThrow();
    expect(() =>
      decodeResponse(Buffer.concat([answer.subarray(0, 6), Buffer.from([0, 5]), answer.subarray(8)])),
    ).toThrow();
    // A query is not a response.
    expect(() =>
      decodeResponse(
        encodeQuery({ id: 1, name: 'a.test', type: 'A', dnssecOk: false, checkingDisabled: false }),
      ),
    ).toThrow();
  });

  it('reassembles TCP frames split and merged arbitrarily', () => {
    const one = Buffer.from('premier');
    const two = Buffer.alloc(300, 1);
    const stream = Buffer.concat([frame(one), frame(two)]);
    const reader = new FrameReader();
    const got: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 5) got.push(...reader.push(stream.subarray(i, i + 5)));
    expect(got).toEqual([one, two]);
    expect(reader.buffered).toBe(0);
    expect(() => frame(Buffer.alloc(65536))).toThrow();
  });
});

describe('parseResolverAddress', () => {
  it.each([
    ['9.9.9.9', { host: '9.9.9.9', port: 53 }],
    ['9.9.9.9:5353', { host: '9.9.9.9', port: 5353 }],
    [' 127.0.0.26:53 ', { host: '127.0.0.26', port: 53 }],
    ['[2001:db8::1]:53', { host: '2001:db8::1', port: 53 }],
    ['[2001:db8::1]:5353', { host: '2001:db8::1', port: 5353 }],
    ['2001:db8::1', { host: '2001:db8::1', port: 53 }],
    ['::1', { host: '::1', port: 53 }],
  ])('reads %s', (text, expected) => {
    expect(parseResolverAddress(text)).toEqual(expected);
  });

  it.each([
    '',
    'dns.quad9.net',
    'dns.quad9.net:53',
    '9.9.9.9:0',
    '9.9.9.9:65536',
    '9.9.9.9:',
    '9.9.9:53',
    '[9.9.9.9]:53',
    '[2001:db8::1',
    '2001:db8::1:53:x',
    '9.9.9.9:53:53',
  ])('rejects %j', (text) => {
    expect(() => parseResolverAddress(text)).toThrow();
  });
});

describe('the demo server speaks standard DNS (checked with node’s own resolver)', () => {
  async function resolver(): Promise<dnsPromises.Resolver> {
    const s = await server();
    const r = new dnsPromises.Resolver({ timeout: 2000, tries: 1 });
    r.setServers([`127.0.0.1:${s.port}`]);
    onTestFinished(() => r.cancel());
    return r;
  }

  it('resolveTxt, resolveMx and resolveCaa return the zone data', async () => {
    const r = await resolver();
    const txt = await r.resolveTxt('exemple.test');
    expect(txt.map((chunks) => chunks.join(''))).toEqual(
      expect.arrayContaining([LONG_SPF, 'google-site-verification=abc']),
    );
    expect(
      txt.find((chunks) => chunks.join('') === LONG_SPF)?.every((c) => Buffer.byteLength(c) <= 255),
    ).toBe(true);
    const mx = await r.resolveMx('exemple.test');
    expect(mx.map((m) => [m.priority, m.exchange.toLowerCase()]).sort()).toEqual([
      [10, 'mx1.exemple.test'],
      [20, 'mx2.exemple.test'],
    ]);
    const caa = await r.resolveCaa('exemple.test');
    expect(caa).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ critical: 0, issue: 'letsencrypt.org' }),
        expect.objectContaining({ critical: 128, iodef: 'mailto:dsi@exemple.test' }),
      ]),
    );
  });

  it('NXDOMAIN is ENOTFOUND and SERVFAIL is ESERVFAIL', async () => {
    const r = await resolver();
    await expect(r.resolveTxt('absent.exemple.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(r.resolveTxt('panne.exemple.test')).rejects.toMatchObject({ code: 'ESERVFAIL' });
  });
});

describe('dnsQuery against a server whose answers announce more than they carry', () => {
  /** The query's question section (name labels, then type and class), read by hand. */
  function questionOf(query: Buffer): Buffer {
    let p = 12;
    while (p < query.length && query[p] !== 0) p += 1 + (query[p] ?? 0);
    return query.subarray(12, p + 5);
  }

  /** A UDP server answering every query with a header that promises `answers` records, then `tail`. */
  async function lyingServer(answers: number, tail: Buffer): Promise<{ host: string; port: number }> {
    const socket = createSocket('udp4');
    socket.on('message', (query: Buffer, peer) => {
      const header = Buffer.alloc(12);
      query.copy(header, 0, 0, 2); // id
      header.writeUInt16BE(0x8180, 2); // QR, RD, RA, NOERROR
      header.writeUInt16BE(1, 4);
      header.writeUInt16BE(answers, 6);
      socket.send(Buffer.concat([header, questionOf(query), tail]), peer.port, peer.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    return { host: '127.0.0.1', port: socket.address().port };
  }

  it.each([
    ['five answers and none carried', 5, Buffer.alloc(0)],
    ['a record whose data is cut short', 1, Buffer.from([0xc0, 0x0c, 0, 16, 0, 1, 0, 0, 0, 60, 0, 50, 4])],
    ['a record cut inside its header', 2, Buffer.from([0xc0, 0x0c, 0, 1, 0])],
  ])('reports %s as a truncated or malformed answer, a protocol error', async (_what, answers, tail) => {
    const server = await lyingServer(answers, tail);
    const outcome = await dnsQuery('exemple.test', 'TXT', { server, timeoutMs: 2000 });
    expect(outcome).toEqual({
      status: 'error',
      reason: 'protocol-error',
      detail:
        `réponse UDP tronquée ou mal formée de 127.0.0.1:${server.port} pour TXT exemple.test ` +
        '(elle annonce plus d’enregistrements qu’elle n’en contient, ou des enregistrements coupés)',
    });
  });
});
