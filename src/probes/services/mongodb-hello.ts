import { randomInt } from 'node:crypto';
import type { TcpServiceProbe } from './identification.js';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
const MAX_MESSAGE = 16 * 1024;

/** `{ isMaster: 1 }`, the handshake every MongoDB server answers (legacy OP_QUERY form), no auth. */
function isMasterQuery(requestId: number): Buffer {
  const doc = Buffer.alloc(19);
  doc.writeInt32LE(19, 0);
  doc[4] = 0x10; // int32
  doc.write('isMaster\0', 5, 'latin1');
  doc.writeInt32LE(1, 14);
  doc[18] = 0x00;
  const collection = Buffer.from('admin.$cmd\0', 'latin1');
  const body = Buffer.alloc(4 + collection.length + 8);
  collection.copy(body, 4);
  body.writeInt32LE(0, 4 + collection.length); // numberToSkip
  body.writeInt32LE(-1, 4 + collection.length + 4); // numberToReturn
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + body.length + doc.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(OP_QUERY, 12);
  return Buffer.concat([header, body, doc]);
}

type BsonScalar = number | boolean | string;

/** Top-level scalar fields of a BSON document (numbers, booleans, strings); others are skipped. */
export function bsonScalars(doc: Buffer): Map<string, BsonScalar> | undefined {
  const out = new Map<string, BsonScalar>();
  if (doc.length < 5) return undefined;
  const total = doc.readInt32LE(0);
  if (total < 5 || total > doc.length) return undefined;
  let i = 4;
  while (i < total - 1) {
    const type = doc[i];
    const nameEnd = doc.indexOf(0, i + 1);
    if (type === undefined || nameEnd === -1 || nameEnd >= total) return undefined;
    const name = doc.subarray(i + 1, nameEnd).toString('utf8');
    let p = nameEnd + 1;
    const need = (n: number): boolean => p + n <= total;
    switch (type) {
      case 0x01: // double
        if (!need(8)) return undefined;
        out.set(name, doc.readDoubleLE(p));
        p += 8;
        break;
      case 0x02: {
        // string
        if (!need(4)) return undefined;
        const length = doc.readInt32LE(p);
        if (length < 1 || !need(4 + length)) return undefined;
        out.set(name, doc.subarray(p + 4, p + 4 + length - 1).toString('utf8'));
        p += 4 + length;
        break;
      }
      case 0x03: // document
      case 0x04: {
        // array
        if (!need(4)) return undefined;
        const length = doc.readInt32LE(p);
        if (length < 5 || !need(length)) return undefined;
        p += length;
        break;
      }
      case 0x05: {
        // binary
        if (!need(5)) return undefined;
        const length = doc.readInt32LE(p);
        if (length < 0 || !need(5 + length)) return undefined;
        p += 5 + length;
        break;
      }
      case 0x07: // ObjectId
        if (!need(12)) return undefined;
        p += 12;
        break;
      case 0x08: // boolean
        if (!need(1)) return undefined;
        out.set(name, doc[p] === 1);
        p += 1;
        break;
      case 0x09: // UTC datetime
      case 0x11: // timestamp
      case 0x12: // int64
        if (!need(8)) return undefined;
        if (type === 0x12) out.set(name, Number(doc.readBigInt64LE(p)));
        p += 8;
        break;
      case 0x0a: // null
        break;
      case 0x10: // int32
        if (!need(4)) return undefined;
        out.set(name, doc.readInt32LE(p));
        p += 4;
        break;
      case 0x13: // decimal128
        if (!need(16)) return undefined;
        p += 16;
        break;
      default:
        return undefined;
    }
    i = p;
  }
  return out;
}

/** MongoDB release that introduced each wire version (the handshake does not give the version itself). */
const WIRE_RELEASES: [wire: number, release: string][] = [
  [25, '8.0'],
  [21, '7.0'],
  [17, '6.0'],
  [13, '5.0'],
  [9, '4.4'],
  [8, '4.2'],
  [7, '4.0'],
  [6, '3.6'],
  [5, '3.4'],
  [4, '3.2'],
  [3, '3.0'],
  [2, '2.6'],
];

function complete(b: Buffer): boolean {
  return b.length >= 16 && b.length >= Math.min(b.readInt32LE(0), MAX_MESSAGE);
}

/** Sends the isMaster handshake and reads the reply's role and wire version. */
export const mongodbHelloProbe: TcpServiceProbe = async ({ conversation: c, stepMs }) => {
  const requestId = randomInt(1, 0x7fffffff);
  c.send(isMasterQuery(requestId));
  const end = await c.waitFor(complete, stepMs);
  const b = c.received;
  if (b.length < 16) return { spoke: true, end };
  const length = b.readInt32LE(0);
  const opCode = b.readInt32LE(12);
  if (length < 16 || length > MAX_MESSAGE || b.length < length || b.readInt32LE(8) !== requestId)
    return { spoke: true, end };
  let docStart: number;
  if (opCode === OP_REPLY) docStart = 36;
  else if (opCode === OP_MSG) docStart = 21;
  else return { spoke: true, end };
  const fields = bsonScalars(b.subarray(docStart, length));
  if (fields === undefined) return { spoke: true, end };
  const wire = fields.get('maxWireVersion');
  const primary = fields.get('ismaster') ?? fields.get('isWritablePrimary');
  if (typeof wire !== 'number' && typeof primary !== 'boolean') return { spoke: true, end };
  const release = typeof wire === 'number' ? WIRE_RELEASES.find(([w]) => wire >= w)?.[1] : undefined;
  const role = fields.get('msg') === 'isdbgrid' ? 'mongos' : primary === true ? 'primary' : 'not primary';
  const setName = fields.get('setName');
  return {
    spoke: true,
    end,
    identification: {
      service: 'mongodb',
      detail: [
        `hello answered: ${role}`,
        typeof setName === 'string' ? `replica set ${setName}` : undefined,
        typeof wire === 'number'
          ? `wire version ${wire}${release === undefined ? '' : ` (MongoDB ≥ ${release})`}`
          : undefined,
      ]
        .filter((s) => s !== undefined)
        .join(', '),
    },
  };
};
