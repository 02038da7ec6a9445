import os from 'node:os';
import {
  OperationalError,
  UsageError,
  type FindingEvent,
  type ReportFinding,
  type Waiver,
} from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import { type Store } from '../../store/index.js';
import { loadCheckLibrary } from '../shared/check-library.js';
import type { AppContext } from '../shared/context.js';
import { inventoryIndex, optionalConfig } from '../shared/inventory-index.js';
import { reportFinding } from './report-finding.js';
import { hasDataStore, openAppStore } from '../shared/data-store.js';

async function withStore<T>(ctx: AppContext, fn: (store: Store) => Promise<T>): Promise<T> {
  if (!hasDataStore(ctx)) {
    throw new OperationalError(msg('errlang.store.no-run', { dir: ctx.dataDir }), {
      hint: msg('errlang.store.no-run.hint'),
    });
  }
  const store = await openAppStore(ctx);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Who acts: --by, else the system user name. */
export function actor(by: string | undefined): string {
  if (by?.trim()) return by.trim();
  try {
    return os.userInfo().username;
  } catch {
    return 'inconnu';
  }
}

/** Parses `--until`: a date (end of that day, UTC) or a date-time. */
export function parseUntil(text: string): string {
  const value = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T23:59:59.000Z` : text;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(msg('errlang.waiver.until-invalid', { text }), {
      hint: msg('errlang.waiver.until-hint'),
    });
  }
  return date.toISOString();
}

/** Comply-or-explain: accept a finding until a date, for a reason; logged in its timeline. */
export async function waiveFinding(
  ctx: AppContext,
  fingerprint: string,
  w: { reason: string; until: string; by?: string },
): Promise<Waiver> {
  return withStore(ctx, (store) =>
    store.waivers.waive(fingerprint, {
      reason: w.reason.trim(),
      until: parseUntil(w.until),
      by: actor(w.by),
      at: ctx.clock.now().toISOString(),
    }),
  );
}

export async function unwaiveFinding(
  ctx: AppContext,
  fingerprint: string,
  u: { by?: string; reason?: string },
): Promise<Waiver> {
  return withStore(ctx, (store) =>
    store.waivers.unwaive(fingerprint, {
      by: actor(u.by),
      at: ctx.clock.now().toISOString(),
      ...(u.reason ? { reason: u.reason } : {}),
    }),
  );
}

export interface FindingDetail {
  finding: ReportFinding;
  timeline: FindingEvent[];
}

/** One finding with its full timeline (first seen, each run it was seen in, resolutions, waivers). */
export async function showFinding(
  ctx: AppContext,
  fingerprint: string,
  inventoryFile?: string,
): Promise<FindingDetail> {
  const config = optionalConfig(inventoryFile);
  const { catalogue } = loadCheckLibrary(config);
  return withStore(ctx, async (store) => {
    await store.waivers.expire(ctx.clock.now().toISOString());
    const tracked = await store.findings.getTracked(fingerprint, ctx.clock.now().toISOString());
    if (!tracked) {
      throw new UsageError(msg('errlang.finding.unknown', { fingerprint }), {
        hint: msg('errlang.finding.unknown.hint'),
      });
    }
    return {
      finding: reportFinding(tracked, catalogue, inventoryIndex(config), ctx.lang),
      timeline: await store.findings.timeline(fingerprint),
    };
  });
}

export interface FindingsListRequest {
  status?: ReportFinding['status'][];
  severity?: ReportFinding['severity'][];
  owner?: string;
  host?: string;
  checkId?: string;
  inventoryFile?: string;
}

/** Findings with their lifecycle status; by default those still open (new, open, regressed, waived). */
export async function listFindings(ctx: AppContext, req: FindingsListRequest = {}): Promise<ReportFinding[]> {
  if (!hasDataStore(ctx)) return [];
  const config = optionalConfig(req.inventoryFile);
  const inventory = inventoryIndex(config);
  const { catalogue } = loadCheckLibrary(config);
  const assetIds = req.owner
    ? [...inventory.assets.values()]
        .filter((a) => a.owner.toLowerCase() === req.owner?.toLowerCase())
        .map((a) => a.id)
    : undefined;
  if (assetIds && assetIds.length === 0) return [];
  return withStore(ctx, async (store) => {
    const now = ctx.clock.now().toISOString();
    await store.waivers.expire(now);
    return (
      await store.findings.list({
        now,
        status: req.status ?? ['new', 'open', 'regressed', 'waived'],
        ...(req.severity ? { severity: req.severity } : {}),
        ...(req.host ? { host: req.host } : {}),
        ...(req.checkId ? { checkId: req.checkId } : {}),
        ...(assetIds ? { assetIds } : {}),
      })
    ).map((r) => reportFinding(r, catalogue, inventory, ctx.lang));
  });
}
