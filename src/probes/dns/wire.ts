import { randomBytes, randomInt } from 'node:crypto';
import dnsPacket from 'dns-packet';
import type { Answer, CaaData, DecodedPacket, OptAnswer, Packet, RecordType } from 'dns-packet';
import type { DnsQueryType, DnsRecord, DnsResponse } from '../../domain/dns.js';

/*
 * The DNS wire format (RFC 1035, EDNS0 RFC 6891, DNSSEC bits RFC 4035): the only place that knows
 * dns-packet, for the client (queries out, responses in) and for the demo server (the reverse).
 */

/** The EDNS0 UDP payload size vigie advertises (the DNS Flag Day 2020 value). */
export const EDNS_UDP_PAYLOAD_SIZE = 1232;
/** The UDP payload a client without EDNS accepts (RFC 1035 §4.2.1). */
export const CLASSIC_UDP_PAYLOAD_SIZE = 512;
/** The largest DNS message: TCP frames it with a 16-bit length. */
export const MAX_MESSAGE_SIZE = 65535;

const RCODE_NAMES = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
] as const;

/** A record as the demo server publishes it; other fields of SOA and RRSIG get plausible values. */
export type ZoneRecord =
  | { name: string; type: 'A' | 'AAAA'; ttl?: number; data: string }
  /** A string longer than 255 bytes is split into 255-byte character-strings on the wire. */
  | { name: string; type: 'TXT'; ttl?: number; data: string | string[] }
  | { name: string; type: 'MX'; ttl?: number; data: { preference: number; exchange: string } }
  | { name: string; type: 'CAA'; ttl?: number; data: { flags: number; tag: string; value: string } }
  | { name: string; type: 'CNAME' | 'NS' | 'PTR'; ttl?: number; data: string }
  | {
      name: string;
      type: 'SRV';
      ttl?: number;
      data: { priority: number; weight: number; port: number; target: string };
    }
  | { name: string; type: 'SOA'; ttl?: number; data: { mname: string; rname: string } }
  | { name: string; type: 'DNSKEY'; ttl?: number; data: { flags: number; algorithm: number; key: Buffer } }
  /** The signature is random bytes: nobody validates against the demo server. */
  | {
      name: string;
      type: 'RRSIG';
      ttl?: number;
      data: { typeCovered: string; algorithm: number; signersName: string };
    };

/** A query as the demo server reads it. */
export interface DecodedQuery {
  id: number;
  /** As sent (case preserved, no trailing dot): the answer echoes it. */
  name: string;
  /** Type name, e.g. `TXT`, or `TYPE65` for one dns-packet does not know. */
  type: string;
  /** The query carried an OPT record. */
  edns: boolean;
  dnssecOk: boolean;
  checkingDisabled: boolean;
  recursionDesired: boolean;
  /** The UDP payload the client accepts: 512 without EDNS (and never less). */
  udpPayloadSize: number;
}

/** What the demo server answers. */
export interface AnswerOptions {
  id: number;
  name: string;
  type: string;
  rcode: string;
  authenticated: boolean;
  truncated: boolean;
  answers: ZoneRecord[];
  /** Add an OPT record (only when the query had one, RFC 6891 §7). */
  edns: boolean;
  dnssecOk: boolean;
  /** Echo of the query's RD bit; set when absent. */
  recursionDesired?: boolean;
  /** Echo of the query's CD bit. */
  checkingDisabled?: boolean;
}

/** Lower-case, without the trailing dot; the root is the empty string. */
export function normaliseName(name: string): string {
  const lower = name.toLowerCase();
  if (lower === '.') return '';
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** dns-packet names a type it does not know `UNKNOWN_<n>`; RFC 3597 writes `TYPE<n>`. */
function typeName(type: string): string {
  return type.startsWith('UNKNOWN_') ? `TYPE${type.slice('UNKNOWN_'.length)}` : type;
}

/** The dns-packet spelling of a type name (`TYPE65` → `UNKNOWN_65`). */
function packetType(type: string): RecordType {
  const upper = type.toUpperCase();
  const numeric = /^TYPE(\d+)$/.exec(upper);
  return (numeric === null ? upper : `UNKNOWN_${numeric[1]}`) as RecordType;
}

function rcodeName(code: number): string {
  return RCODE_NAMES[code] ?? (code === 16 ? 'BADVERS' : `RCODE${code}`);
}

function rcodeNumber(rcode: string): number {
  const index = (RCODE_NAMES as readonly string[]).indexOf(rcode.toUpperCase());
  if (index < 0) throw new Error(`rcode inconnu : ${rcode}`);
  return index;
}

/** Rejects what dns-packet would silently mangle: empty or over-long labels, over-long names. */
function checkName(name: string): void {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare === '') return;
  if (Buffer.byteLength(bare) > 253) throw new Error(`nom trop long : ${name}`);
  for (const label of bare.split('.')) {
    const length = Buffer.byteLength(label);
    if (length === 0 || length > 63) throw new Error(`étiquette invalide dans ${name}`);
  }
}

function optRecord(dnssecOk: boolean): OptAnswer {
  return {
    type: 'OPT',
    name: '.',
    udpPayloadSize: EDNS_UDP_PAYLOAD_SIZE,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: dnssecOk ? dnsPacket.DNSSEC_OK : 0,
    flag_do: dnssecOk,
    options: [],
  };
}

/** A recursive query (RD) with one OPT record (EDNS0, 1232 bytes, DO when asked) and CD when asked. */
export function encodeQuery(opts: {
  id: number;
  name: string;
  type: DnsQueryType;
  dnssecOk: boolean;
  checkingDisabled: boolean;
}): Buffer {
  checkName(opts.name);
  return dnsPacket.encode({
    type: 'query',
    id: opts.id,
    flags: dnsPacket.RECURSION_DESIRED | (opts.checkingDisabled ? dnsPacket.CHECKING_DISABLED : 0),
    questions: [{ type: opts.type, name: opts.name, class: 'IN' }],
    additionals: [optRecord(opts.dnssecOk)],
  });
}

function txtText(data: string | Buffer | (string | Buffer)[]): string {
  const parts = Array.isArray(data) ? data : [data];
  // Concatenate the bytes first: a UTF-8 character may straddle two character-strings.
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))).toString('utf8');
}

function toRecord(a: Answer): DnsRecord {
  const name = normaliseName(a.name);
  const ttl = a.type === 'OPT' ? 0 : (a.ttl ?? 0);
  if (a.type === 'A' || a.type === 'AAAA') return { type: a.type, name, ttl, address: a.data };
  if (a.type === 'TXT') return { type: 'TXT', name, ttl, text: txtText(a.data) };
  if (a.type === 'MX') {
    const exchange = normaliseName(a.data.exchange);
    return { type: 'MX', name, ttl, preference: a.data.preference ?? 0, exchange };
  }
  if (a.type === 'CAA') {
    return { type: 'CAA', name, ttl, flags: a.data.flags ?? 0, tag: a.data.tag, value: a.data.value };
  }
  if (a.type === 'CNAME') return { type: 'CNAME', name, ttl, target: normaliseName(a.data) };
  if (a.type === 'NS' || a.type === 'PTR') return { type: a.type, name, ttl, target: normaliseName(a.data) };
  if (a.type === 'SRV') {
    return { type: 'SRV', name, ttl, target: normaliseName(a.data.target), port: a.data.port };
  }
  if (a.type === 'DNSKEY') {
    return { type: 'DNSKEY', name, ttl, flags: a.data.flags, algorithm: a.data.algorithm };
  }
  if (a.type === 'RRSIG') {
    const { typeCovered, algorithm, signersName } = a.data;
    return {
      type: 'RRSIG',
      name,
      ttl,
      typeCovered: typeName(typeCovered),
      algorithm,
      signerName: normaliseName(signersName),
    };
  }
  if (a.type === 'SOA') return { type: 'SOA', name, ttl, mname: normaliseName(a.data.mname) };
  return { type: 'OTHER', name, ttl, rrtype: typeName(a.type) };
}

/**
 * A DNS message that does not decode: shorter than its header, or announcing more records (or
 * longer ones) than it carries. The message is dns-packet's, for logs; users get a sentence of the
 * catalogue (`dns.answer.malformed`) instead.
 */
export class MalformedDnsMessageError extends Error {
  override name = 'MalformedDnsMessageError';
}

function decodePacket(buf: Buffer): DecodedPacket {
  if (buf.length < 12) throw new MalformedDnsMessageError(`${buf.length} bytes: incomplete header`);
  let packet: DecodedPacket;
  try {
    packet = dnsPacket.decode(buf);
  } catch (error) {
    // dns-packet reads the counts of the header and throws (RangeError or Error) past the end.
    throw new MalformedDnsMessageError(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  // Some records cut short decode without an error (a TXT record of 50 announced bytes and 1 sent
  // comes out empty): the bytes read then run past the end, or are NaN.
  const read = dnsPacket.decode.bytes;
  if (!Number.isFinite(read) || read > buf.length) {
    throw new MalformedDnsMessageError(`${buf.length} bytes, records announced beyond them`);
  }
  return packet;
}

function findOpt(packet: Packet): OptAnswer | undefined {
  return (packet.additionals ?? []).find((a): a is OptAnswer => a.type === 'OPT');
}

/**
 * Decodes a response; throws on anything that is not a well-formed DNS response
 * (MalformedDnsMessageError when it does not decode, Error for a query). Any rcode is
 * returned as is: SERVFAIL or NXDOMAIN are observations, not failures.
 */
export function decodeResponse(buf: Buffer): {
  id: number;
  truncated: boolean;
  response: Omit<DnsResponse, 'transport'>;
} {
  const packet = decodePacket(buf);
  if (!packet.flag_qr) throw new Error('message DNS sans le bit QR (une requête, pas une réponse)');
  const opt = findOpt(packet);
  const code = ((opt?.extendedRcode ?? 0) << 4) | ((packet.flags ?? 0) & 0xf);
  let answers: DnsRecord[];
  try {
    answers = (packet.answers ?? []).filter((a) => a.type !== 'OPT').map(toRecord);
  } catch (error) {
    // A record dns-packet decoded only in part (rdata cut short): its fields are missing.
    throw new MalformedDnsMessageError(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  return {
    id: packet.id ?? 0,
    truncated: packet.flag_tc,
    response: { rcode: rcodeName(code), authenticated: packet.flag_ad, answers },
  };
}

/** Decodes a query (server side); throws on garbage, on a response and on anything but one question. */
export function decodeQuery(buf: Buffer): DecodedQuery {
  const packet = decodePacket(buf);
  if (packet.flag_qr) throw new Error('réponse DNS reçue à la place d’une requête');
  const questions = packet.questions ?? [];
  const question = questions[0];
  if (question === undefined || questions.length !== 1) {
    throw new Error(`requête DNS à ${questions.length} questions`);
  }
  const opt = findOpt(packet);
  return {
    id: packet.id ?? 0,
    name: question.name === '.' ? '' : question.name,
    type: typeName(question.type),
    edns: opt !== undefined,
    dnssecOk: opt?.flag_do ?? false,
    checkingDisabled: packet.flag_cd,
    recursionDesired: packet.flag_rd,
    udpPayloadSize: Math.max(CLASSIC_UDP_PAYLOAD_SIZE, opt?.udpPayloadSize ?? CLASSIC_UDP_PAYLOAD_SIZE),
  };
}

/** Splits text into character-strings of at most 255 bytes (RFC 1035 §3.3). */
function characterStrings(text: string): Buffer[] {
  const bytes = Buffer.from(text);
  if (bytes.length === 0) return [bytes];
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += 255)
    chunks.push(bytes.subarray(offset, offset + 255));
  return chunks;
}

function labelCount(name: string): number {
  const bare = normaliseName(name);
  return bare === '' ? 0 : bare.split('.').filter((l) => l !== '*').length;
}

function toAnswer(record: ZoneRecord): Answer {
  const owner = record.name;
  const base = { name: owner, ttl: record.ttl ?? 300, class: 'IN' as const };
  switch (record.type) {
    case 'A':
    case 'AAAA':
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return { ...base, type: record.type, data: record.data };
    case 'SRV':
      return { ...base, type: 'SRV', data: { ...record.data } };
    case 'TXT': {
      const texts = Array.isArray(record.data) ? record.data : [record.data];
      return { ...base, type: 'TXT', data: texts.flatMap(characterStrings) };
    }
    case 'MX':
      return { ...base, type: 'MX', data: { ...record.data } };
    case 'CAA':
      return {
        ...base,
        type: 'CAA',
        data: { flags: record.data.flags, tag: record.data.tag as CaaData['tag'], value: record.data.value },
      };
    case 'SOA':
      return {
        ...base,
        type: 'SOA',
        data: {
          ...record.data,
          serial: 2024010101,
          refresh: 3600,
          retry: 600,
          expire: 604800,
          minimum: 300,
        },
      };
    case 'DNSKEY':
      return { ...base, type: 'DNSKEY', data: { ...record.data } };
    case 'RRSIG': {
      const now = Math.floor(Date.now() / 1000);
      return {
        ...base,
        type: 'RRSIG',
        data: {
          typeCovered: packetType(record.data.typeCovered),
          algorithm: record.data.algorithm,
          labels: labelCount(owner),
          originalTTL: record.ttl ?? 300,
          expiration: now + 30 * 86400,
          inception: now - 86400,
          keyTag: randomInt(0, 65536),
          signersName: record.data.signersName,
          signature: randomBytes(64),
        },
      };
    }
  }
}

/** Encodes a response (server side): QR, AA, RA, RD echoed, AD/TC/CD as told, the rcode, an OPT when EDNS. */
export function encodeAnswer(opts: AnswerOptions): Buffer {
  const flags =
    dnsPacket.AUTHORITATIVE_ANSWER |
    dnsPacket.RECURSION_AVAILABLE |
    (opts.recursionDesired === false ? 0 : dnsPacket.RECURSION_DESIRED) |
    (opts.authenticated ? dnsPacket.AUTHENTIC_DATA : 0) |
    (opts.truncated ? dnsPacket.TRUNCATED_RESPONSE : 0) |
    (opts.checkingDisabled === true ? dnsPacket.CHECKING_DISABLED : 0) |
    rcodeNumber(opts.rcode);
  return dnsPacket.encode({
    type: 'response',
    id: opts.id,
    flags,
    questions: [{ type: packetType(opts.type), name: opts.name, class: 'IN' }],
    answers: opts.answers.map(toAnswer),
    additionals: opts.edns ? [optRecord(opts.dnssecOk)] : [],
  });
}

/** Prefixes a message with its 2-byte length, for DNS over TCP (RFC 1035 §4.2.2). */
export function frame(buf: Buffer): Buffer {
  if (buf.length > MAX_MESSAGE_SIZE)
    throw new Error(`message DNS de ${buf.length} octets, trop long pour TCP`);
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(buf.length);
  return Buffer.concat([prefix, buf]);
}

/** Reassembles length-prefixed DNS messages from a TCP stream; holds at most one message of 65535 bytes. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  /** Adds received bytes and returns the messages they complete, in order. */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const messages: Buffer[] = [];
    while (this.pending.length >= 2) {
      const length = this.pending.readUInt16BE(0);
      if (this.pending.length < 2 + length) break;
      messages.push(Buffer.from(this.pending.subarray(2, 2 + length)));
      this.pending = this.pending.subarray(2 + length);
    }
    return messages;
  }

  /** Bytes received that do not yet form a whole message. */
  get buffered(): number {
    return this.pending.length;
  }
}

/** A zone transfer request (AXFR, RFC 5936): no recursion, no EDNS. */
export function encodeAxfrQuery(id: number, zone: string): Buffer {
  checkName(zone);
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: 0,
    questions: [{ type: 'AXFR', name: zone, class: 'IN' }],
  });
}

/** One message of a zone transfer: its id, rcode and records (SOA included, as they come). */
export function decodeTransferMessage(buf: Buffer): { id: number; rcode: string; records: DnsRecord[] } {
  const { id, response } = decodeResponse(buf);
  return { id, rcode: response.rcode, records: response.answers };
}

/** Encodes the messages of a zone transfer (server side): the records given, in order, one message per `perMessage`. */
export function encodeTransfer(id: number, zone: string, records: ZoneRecord[], perMessage = 50): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < records.length || i === 0; i += perMessage) {
    out.push(
      dnsPacket.encode({
        type: 'response',
        id,
        flags: dnsPacket.AUTHORITATIVE_ANSWER,
        questions: [{ type: 'AXFR', name: zone, class: 'IN' }],
        answers: records.slice(i, i + perMessage).map(toAnswer),
      }),
    );
  }
  return out;
}
