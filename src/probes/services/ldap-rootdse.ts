import { readChildren, readTlv, type Tlv } from '../tls/der.js';
import { integer, octets, readUnsigned, tlv } from './ber.js';
import type { Identification, TcpServiceProbe } from './identification.js';
import { printableExcerpt } from './printable.js';

const SEARCH_RESULT_ENTRY = 0x64;
const SEARCH_RESULT_DONE = 0x65;
const EXTENDED_RESPONSE = 0x78;
const ATTRIBUTES = ['namingContexts', 'supportedLDAPVersion', 'vendorName', 'vendorVersion'];

/**
 * An anonymous search of the root DSE (base "", scope base, (objectClass=*)): public by design
 * (RFC 4512 §5.1), read before any bind. No bind request is sent.
 */
function rootDseSearch(): Buffer {
  const search = tlv(
    0x63, // [APPLICATION 3] SearchRequest
    octets(''),
    integer(0, 0x0a), // scope: baseObject
    integer(0, 0x0a), // derefAliases: never
    integer(0), // sizeLimit
    integer(5), // timeLimit (s)
    tlv(0x01, Buffer.from([0x00])), // typesOnly: false
    octets('objectClass', 0x87), // filter: present
    tlv(0x30, ...ATTRIBUTES.map((a) => octets(a))),
  );
  return tlv(0x30, integer(1), search);
}

interface LdapMessage {
  id: number;
  op: number;
  tlv: Tlv;
}

/** The complete LDAPMessages at the start of `b`. */
function messages(b: Buffer): LdapMessage[] {
  const out: LdapMessage[] = [];
  let offset = 0;
  while (offset < b.length && out.length < 16) {
    const message = readTlv(b, offset);
    if (message === undefined || message.tag !== 0x30) break;
    const [id, op] = readChildren(b, message, 4) ?? [];
    if (id === undefined || op === undefined || id.tag !== 0x02) break;
    out.push({ id: readUnsigned(b.subarray(id.start, id.end)) ?? -1, op: op.tag, tlv: op });
    offset = message.end;
  }
  return out;
}

/** Attribute values of a SearchResultEntry. */
function entryAttributes(b: Buffer, entry: Tlv): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const [, attributes] = readChildren(b, entry, 4) ?? [];
  if (attributes === undefined) return out;
  for (const attribute of readChildren(b, attributes, 64) ?? []) {
    const [type, values] = readChildren(b, attribute, 4) ?? [];
    if (type === undefined || values === undefined) continue;
    const name = b.subarray(type.start, type.end).toString('utf8');
    out.set(
      name.toLowerCase(),
      (readChildren(b, values, 16) ?? []).map((v) => b.subarray(v.start, v.end).toString('utf8')),
    );
  }
  return out;
}

/**
 * What the messages received so far say: nothing (not LDAP, or no answer to our search yet), or
 * the directory identified with its vendor and naming contexts. Pure and bounded (16 messages,
 * 64 attributes, 16 values); never throws on hostile bytes.
 */
export function readRootDse(b: Buffer): Identification | undefined {
  const answers = messages(b).filter(
    (m) =>
      (m.id === 1 && (m.op === SEARCH_RESULT_ENTRY || m.op === SEARCH_RESULT_DONE)) ||
      m.op === EXTENDED_RESPONSE,
  );
  if (answers.length === 0) return undefined;
  const entry = answers.find((m) => m.op === SEARCH_RESULT_ENTRY);
  const attributes = entry === undefined ? new Map<string, string[]>() : entryAttributes(b, entry.tlv);
  const vendor = [attributes.get('vendorname')?.[0], attributes.get('vendorversion')?.[0]]
    .filter((v) => v !== undefined && v !== '')
    .join(' ');
  const contexts = attributes.get('namingcontexts') ?? [];
  return {
    service: 'ldap',
    ...(/\d/.test(vendor) ? { version: printableExcerpt(vendor, 100) } : {}),
    detail:
      entry === undefined
        ? 'LDAP answered without a root DSE entry'
        : `root DSE readable${contexts.length ? `: ${printableExcerpt(contexts.join(', '), 120)}` : ''}`,
  };
}

/** Sends the root DSE search and reads the directory's naming contexts and vendor, if it tells. */
export const ldapRootDseProbe: TcpServiceProbe = async ({ conversation: c, stepMs }) => {
  c.send(rootDseSearch());
  const end = await c.waitFor(
    (b) => messages(b).some((m) => m.op === SEARCH_RESULT_DONE || m.op === EXTENDED_RESPONSE),
    stepMs,
  );
  const identification = readRootDse(c.received);
  return identification === undefined ? { spoke: true, end } : { spoke: true, end, identification };
};
