import type { DiscoveryClass, ScanResult } from '../../domain/index.js';
import type { AppContext } from '../shared/context.js';
import { scanTargets } from '../scan/index.js';
import type { DigestOutcome } from '../notify/index.js';
import type { GithubSyncRequest, GithubSyncResult } from '../github/index.js';

/**
 * The use cases the daemon runs, injected so tests pass fakes. The mail ones are those of
 * src/app/notify.ts, signature for signature.
 */
export interface DaemonJobs {
  scan(ctx: AppContext, o: { inventoryFile: string }): Promise<ScanResult>;
  sendWeeklyDigest(ctx: AppContext, o: { inventoryFile: string }): Promise<DigestOutcome>;
  sendFindingAlerts(
    ctx: AppContext,
    o: { inventoryFile: string; scan: ScanResult },
  ): Promise<{ sent: string[] }>;
  sendCertificateAlerts(ctx: AppContext, o: { inventoryFile: string }): Promise<{ sent: string[] }>;
  retryPendingMail(
    ctx: AppContext,
    o: { inventoryFile: string },
  ): Promise<{ retried: string[]; failed: string[] }>;
  /** `vigie discover` on the inventory's domains and declared ranges, with the configured sources, saved. */
  discover(
    ctx: AppContext,
    o: { inventoryFile: string },
  ): Promise<{
    run: { id: string };
    sources: { source: string; domain?: string; status: string }[];
    summary: Record<DiscoveryClass, number> & { names: number; findings: number };
  }>;
  /** `vigie github sync` after each scheduled scan (with `github:`); absent: the real one. */
  syncGithub?(ctx: AppContext, req: GithubSyncRequest): Promise<GithubSyncResult>;
}

/** The nightly scan: the whole inventory, every category, saved. */
export function scanInventoryNow(ctx: AppContext, o: { inventoryFile: string }): Promise<ScanResult> {
  return scanTargets(ctx, {
    targets: [],
    inventoryFile: o.inventoryFile,
    inventoryExplicit: true,
    caFiles: [],
    categories: ['tls', 'http', 'services', 'dns'],
    save: true,
  });
}

/** The weekly discovery: the inventory's domains and `discovery.networks`, every source, saved. */
export async function discoverInventoryNow(
  ctx: AppContext,
  o: { inventoryFile: string },
): ReturnType<DaemonJobs['discover']> {
  // Loaded on use: the daemon's other jobs do not need the discovery sources.
  const { discoverNames } = await import('../discover/index.js');
  return discoverNames(ctx, { inventoryFile: o.inventoryFile, save: true });
}
