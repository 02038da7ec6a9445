import { isIP } from 'node:net';

/**
 * Whether `host` names this machine's loopback: `localhost`, an address of 127.0.0.0/8, `::1`
 * (brackets allowed), or an IPv4-mapped loopback. Nothing sent there leaves the machine.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.split('.')[0] === '127';
  if (isIP(h) !== 6) return false;
  // The URL parser writes IPv6 canonically: `[::1]`, `[::ffff:7f00:1]` for ::ffff:127.0.0.1.
  const canonical = new URL(`http://[${h}]/`).hostname;
  return canonical === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical);
}
