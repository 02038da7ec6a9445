import { randomInt } from 'node:crypto';
import net from 'node:net';
import {
  failed,
  observed,
  type DnsRecord,
  type DnsServerAddress,
  type LocalText,
  type Outcome,
} from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import { formatResolverAddress } from '../dns/dns-client.js';
import { finishOnce } from '../finish-once.js';
import { decodeTransferMessage, encodeAxfrQuery, frame, FrameReader } from '../dns/wire.js';

export interface AxfrLimits {
  timeoutMs: number;
  /** Records accepted before the transfer is abandoned (a zone of 10 000 names is a failure, not a result). */
  maxRecords: number;
  /** Bytes read before the transfer is abandoned. */
  maxBytes: number;
}

export const DEFAULT_AXFR_LIMITS: AxfrLimits = {
  timeoutMs: 10_000,
  maxRecords: 5000,
  maxBytes: 4 * 1024 * 1024,
};

/** A transfer allowed (its records, SOA excluded) or refused (the rcode, or the connection closed). */
export type AxfrResult =
  | { allowed: true; records: DnsRecord[] }
  /** The server started the transfer (it is open) but it went past a limit: its records are not used. */
  | { allowed: true; records: []; overLimit: LocalText }
  | { allowed: false; rcode: string };

/**
 * Attempts one zone transfer (AXFR over TCP, RFC 5936) of `zone` from `server`. A transfer is allowed
 * when the first message is NOERROR and starts with the zone's SOA, and complete at the second SOA.
 * Over-large transfers, malformed messages and timeouts end as errors. Never throws.
 */
export function zoneTransfer(
  server: DnsServerAddress,
  zone: string,
  limits: AxfrLimits = DEFAULT_AXFR_LIMITS,
): Promise<Outcome<AxfrResult>> {
  const where = formatResolverAddress(server);
  return new Promise((resolve) => {
    const id = randomInt(0, 65536);
    let query: Buffer;
    try {
      query = frame(encodeAxfrQuery(id, zone));
    } catch (error) {
      resolve(failed('internal', msg('texts2.axfr.query', { zone, error: String(error) })));
      return;
    }
    const reader = new FrameReader();
    const records: DnsRecord[] = [];
    let soaSeen = 0;
    let bytes = 0;
    const socket = net.connect({ host: server.host, port: server.port });
    const finish = finishOnce<Outcome<AxfrResult>>(socket, resolve, limits.timeoutMs, () =>
      failed('timeout', msg('texts2.axfr.timeout', { zone, server: where, ms: limits.timeoutMs })),
    );
    socket.on('connect', () => socket.write(query));
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) {
        const why = msg('texts2.axfr.too-big', { zone, server: where, max: limits.maxBytes });
        finish(
          soaSeen > 0
            ? observed({ allowed: true, records: [], overLimit: why })
            : failed('protocol-error', why),
        );
        return;
      }
      try {
        for (const message of reader.push(chunk)) {
          const m = decodeTransferMessage(message);
          if (m.id !== id) continue;
          if (m.rcode !== 'NOERROR') {
            finish(observed({ allowed: false, rcode: m.rcode }));
            return;
          }
          for (const r of m.records) {
            if (r.type === 'SOA') {
              soaSeen += 1;
              if (soaSeen === 2) {
                finish(observed({ allowed: true, records }));
                return;
              }
              continue;
            }
            if (soaSeen === 0) {
              finish(failed('protocol-error', msg('texts2.axfr.no-soa', { zone, server: where })));
              return;
            }
            records.push(r);
            if (records.length > limits.maxRecords) {
              finish(
                observed({
                  allowed: true,
                  records: [],
                  overLimit: msg('texts2.axfr.too-many', { zone, server: where, max: limits.maxRecords }),
                }),
              );
              return;
            }
          }
          if (soaSeen === 0) {
            finish(observed({ allowed: false, rcode: 'NOERROR' }));
            return;
          }
        }
      } catch (error) {
        finish(
          failed(
            'protocol-error',
            msg('texts2.axfr.unreadable', { zone, server: where, error: String(error) }),
          ),
        );
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED')
        finish(failed('refused', msg('texts2.axfr.refused', { zone, server: where })));
      else
        finish(
          failed(
            'unreachable',
            msg('texts2.axfr.unreachable', { zone, server: where, error: error.code ?? error.message }),
          ),
        );
    });
    // A server that closes without a transfer refuses it (many do so instead of answering REFUSED).
    socket.on('close', () => {
      if (soaSeen === 0) finish(observed({ allowed: false, rcode: 'closed' }));
      else finish(failed('reset', msg('texts2.axfr.reset', { zone, server: where })));
    });
  });
}
