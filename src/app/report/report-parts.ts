import type { ExpiringCertificate, PostureReport, ReportDomain, ReportEndpoint } from '../../domain/index.js';
import type { LatestEndpoint, RunSummary, Store } from '../../store/index.js';
import type { InventoryIndex } from '../shared/inventory-index.js';
import type { StoredEndpointFacts } from '../shared/stored-facts.js';

/** Parts of the posture report built the same way whether it reads whole lists or pages. */

const DAY_MS = 86_400_000;

/** An endpoint as the report shows it (its facts read once by the caller). */
export function reportEndpointOf(
  e: LatestEndpoint,
  facts: StoredEndpointFacts,
  inventory: InventoryIndex,
): ReportEndpoint {
  const owner = e.assetId ? inventory.assets.get(e.assetId)?.owner : undefined;
  return {
    host: e.host,
    port: e.port,
    ...(e.assetId ? { assetId: e.assetId } : {}),
    ...(owner ? { owner } : {}),
    status: e.status,
    lastRunId: e.runId,
    lastScanned: e.startedAt,
    checks: e.checks,
    ...(facts.tls?.grade ? { tlsGrade: facts.tls.grade } : {}),
    ...(facts.http?.grade ? { httpGrade: facts.http.grade } : {}),
    ...(facts.tls ? { tlsDetail: (({ grade: _grade, ...rest }) => rest)(facts.tls) } : {}),
  };
}

/** The endpoint's certificate when it expires within `expiryDays` (or has expired); else undefined. */
export function expiringCertificateOf(
  e: LatestEndpoint,
  facts: StoredEndpointFacts,
  now: Date,
  expiryDays: number,
  inventory: InventoryIndex,
): ExpiringCertificate | undefined {
  const cert = facts.tls?.certificate;
  if (!cert) return undefined;
  const daysLeft = Math.floor((Date.parse(cert.notAfter) - now.getTime()) / DAY_MS);
  // An expired certificate still served is the most urgent of all: listed first (negative days).
  if (daysLeft > expiryDays) return undefined;
  const owner = e.assetId ? inventory.assets.get(e.assetId)?.owner : undefined;
  return {
    host: e.host,
    port: e.port,
    subject: cert.subject,
    notAfter: cert.notAfter,
    daysLeft,
    ...(owner ? { owner } : {}),
  };
}

/**
 * The endpoint's domain records, when it has some, and the hosts whose mail and DNS findings count
 * for it (its own and its mail exchangers'); `open` counts them.
 */
export function domainOf(
  e: LatestEndpoint,
  facts: StoredEndpointFacts,
  inventory: InventoryIndex,
): { domain: Omit<ReportDomain, 'open'>; hosts: ReadonlySet<string> } | undefined {
  const dns = facts.dns;
  if (!dns) return undefined;
  const owner = e.assetId ? inventory.assets.get(e.assetId)?.owner : undefined;
  const mxHosts = new Set((dns.mx ?? []).map((m) => m.split(' ').pop() ?? m));
  return {
    domain: {
      domain: e.host,
      ...(owner ? { owner } : {}),
      ...(dns.spf === undefined ? {} : { spf: dns.spf }),
      ...(dns.dmarc === undefined ? {} : { dmarc: dns.dmarc }),
      ...(dns.dnssec === undefined ? {} : { dnssec: dns.dnssec }),
      caa: dns.caa ?? [],
      ...(dns.mtaSts === undefined ? {} : { mtaSts: dns.mtaSts }),
      mx: dns.mx ?? [],
    },
    hosts: new Set([e.host, ...mxHosts]),
  };
}

/** Whether a finding counts for the domain rows (a mail or DNS check). */
export const isDomainCheck = (checkId: string): boolean =>
  checkId.startsWith('mail.') || checkId.startsWith('dns.');

/** The index of each recent run that has one, oldest first. */
export function trendOf(runs: readonly RunSummary[]): PostureReport['posture']['trend'] {
  return runs.flatMap((r) => (r.posture ? [{ at: r.startedAt, runId: r.id, index: r.posture.index }] : []));
}

/** Names the latest discovery (up to `at`) left outside the inventory; undefined when none ran. */
export async function discoverySummary(store: Store, at: string): Promise<PostureReport['discovery']> {
  const lastRunAt = await store.discovery.latestRunAt(at);
  if (lastRunAt === undefined) return undefined;
  let unlisted = 0;
  let dangling = 0;
  for (const n of await store.discovery.list()) {
    if (n.class === 'dangling') dangling += 1;
    if (n.class === 'new' || n.class === 'dangling') unlisted += 1;
  }
  return { lastRunAt, unlisted, dangling };
}
