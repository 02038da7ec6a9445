import { createHash } from 'node:crypto';
import type { RawFinding } from './finding.js';

/**
 * Stable identity of a finding across runs: check, host, port and optional key. Evidence is
 * deliberately left out, so a certificate renewed with the same flaw keeps its history.
 */
export function fingerprintOf(f: Pick<RawFinding, 'checkId' | 'host' | 'port' | 'key'>): string {
  const material = [f.checkId, f.host.toLowerCase(), String(f.port), f.key ?? ''].join('|');
  return createHash('sha256').update(material).digest('hex').slice(0, 20);
}
