import { idleMs, type TcpServiceProbe } from './identification.js';

/** SSLRequest: length 8, code 80877103 (PostgreSQL protocol, "SSL session encryption"). */
const SSL_REQUEST = Buffer.from([0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f]);

/**
 * Sends PostgreSQL's SSLRequest, which precedes any startup message (so no user name is sent), and
 * expects the single-byte answer `S` (TLS available) or `N` (no TLS). Anything longer is something else.
 */
export const postgresSslRequestProbe: TcpServiceProbe = async ({ conversation: c, stepMs }) => {
  c.send(SSL_REQUEST);
  // Wait for the byte, then briefly for anything after it: a lone S or N is PostgreSQL.
  const end = await c.collect({ timeoutMs: stepMs, idleMs: idleMs(stepMs) });
  const r = c.received;
  if (r.length !== 1 || (r[0] !== 0x53 && r[0] !== 0x4e)) return { spoke: true, end };
  const tls = r[0] === 0x53;
  return {
    spoke: true,
    end,
    identification: {
      service: 'postgresql',
      detail: `SSLRequest → ${tls ? 'S (TLS available)' : 'N (no TLS)'}`,
    },
  };
};
