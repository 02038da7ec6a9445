import { idleMs, type TcpServiceProbe } from './identification.js';
import { matchSignatures } from './signatures.js';

/**
 * Sends nothing and listens: what the service says first (SSH, FTP/SMTP 220, MySQL greeting, RFB,
 * rsync, telnet negotiation) is matched against the known signatures.
 */
export const bannerProbe: TcpServiceProbe = async ({ conversation: c, stepMs }) => {
  const end = await c.collect({
    timeoutMs: stepMs,
    idleMs: idleMs(stepMs),
    done: (b) => matchSignatures(b) !== undefined,
  });
  const identification = matchSignatures(c.received);
  return identification === undefined ? { spoke: false, end } : { spoke: false, end, identification };
};
