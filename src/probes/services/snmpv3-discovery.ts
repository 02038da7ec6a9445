import { randomInt } from 'node:crypto';
import { readChildren, readTlv } from '../tls/der.js';
import { integer, octets, readUnsigned, tlv } from './ber.js';
import type { Identification } from './identification.js';

/** Enterprise numbers (IANA) found in SNMP engine IDs. */
const ENTERPRISES: Record<number, string> = {
  9: 'Cisco',
  11: 'HP',
  311: 'Microsoft',
  2011: 'Huawei',
  2636: 'Juniper',
  4526: 'Netgear',
  6876: 'VMware',
  8072: 'net-snmp',
  12356: 'Fortinet',
  25461: 'Palo Alto Networks',
  41112: 'Ubiquiti',
};

/**
 * An SNMPv3 discovery request (RFC 3414 §4): empty engine ID and user name, noAuthNoPriv,
 * reportable. No community string (a credential) and no user is sent; the agent answers with a
 * Report carrying its engine ID.
 */
export function snmpv3DiscoveryRequest(messageId: number = randomInt(1, 0x7fffffff)): Buffer {
  const security = tlv(0x30, octets(''), integer(0), integer(0), octets(''), octets(''), octets(''));
  const pdu = tlv(0xa0, integer(messageId), integer(0), integer(0), tlv(0x30));
  return tlv(
    0x30,
    integer(3),
    tlv(0x30, integer(messageId), integer(65507), octets(Buffer.from([0x04])), integer(3)),
    octets(security),
    tlv(0x30, octets(''), octets(''), pdu),
  );
}

/** Recognises an SNMPv3 message and reads the agent's engine ID and boot count. */
export function recognizeSnmpv3(data: Buffer): Identification | undefined {
  const message = readTlv(data, 0);
  if (message?.tag !== 0x30) return undefined;
  const [version, , security] = readChildren(data, message, 8) ?? [];
  if (version?.tag !== 0x02 || readUnsigned(data.subarray(version.start, version.end)) !== 3)
    return undefined;
  if (security?.tag !== 0x04) return undefined;
  const usm = readTlv(data, security.start, security.end);
  const [engine, boots] = usm?.tag === 0x30 ? (readChildren(data, usm, 8) ?? []) : [];
  if (engine?.tag !== 0x04) return { service: 'snmp', detail: 'SNMPv3 answer' };
  const id = data.subarray(engine.start, engine.end);
  const enterprise = id.length >= 4 ? id.readUInt32BE(0) & 0x7fffffff : undefined;
  const vendor = enterprise === undefined ? undefined : ENTERPRISES[enterprise];
  const bootCount = boots?.tag === 0x02 ? readUnsigned(data.subarray(boots.start, boots.end)) : undefined;
  return {
    service: 'snmp',
    detail: [
      `SNMPv3 engine ID ${id.subarray(0, 32).toString('hex') || '(empty)'}`,
      enterprise === undefined
        ? undefined
        : `enterprise ${enterprise}${vendor === undefined ? '' : ` (${vendor})`}`,
      bootCount === undefined ? undefined : `${bootCount} boot(s)`,
    ]
      .filter((s) => s !== undefined)
      .join(', '),
  };
}
