import type { ScanResult } from '../../domain/index.js';
import type { AppContext } from '../shared/context.js';
import { scanTargets } from '../scan/index.js';

/**
 * The use cases the daemon runs, injected so tests pass fakes. The mail ones are those of
 * src/app/notify.ts, signature for signature.
 */
export interface DaemonJobs {
  scan(ctx: AppContext, o: { inventoryFile: string }): Promise<ScanResult>;
  sendWeeklyDigest(
    ctx: AppContext,
    o: { inventoryFile: string },
  ): Promise<{
    key: string;
    subject: string;
    sent: boolean;
    alreadySent: boolean;
    recipients: string[];
    text?: string;
  }>;
  sendFindingAlerts(
    ctx: AppContext,
    o: { inventoryFile: string; scan: ScanResult },
  ): Promise<{ sent: string[] }>;
  sendCertificateAlerts(ctx: AppContext, o: { inventoryFile: string }): Promise<{ sent: string[] }>;
  retryPendingMail(
    ctx: AppContext,
    o: { inventoryFile: string },
  ): Promise<{ retried: string[]; failed: string[] }>;
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
