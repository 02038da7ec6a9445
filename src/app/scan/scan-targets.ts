import fs from 'node:fs';
import { isIP } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import {
  fingerprintOf,
  parseTarget,
  SCORING_VERSION,
  SEVERITIES,
  type DomainTarget,
  type Endpoint,
  type Catalogue,
  type Category,
  type EndpointResult,
  type ListView,
  type RawFinding,
  type ScanResult,
  type ScanResultView,
  type Severity,
} from '../../domain/index.js';
import { inventoryDomains, inventoryEndpoints, loadConfig, type VigieConfig } from '../../config/index.js';
import { parseResolverAddress, systemResolver } from '../../probes/dns/index.js';
import {
  defaultPorts,
  planEndpoints,
  runScan,
  type EngineOptions,
  type PlannedEndpoint,
  type ScanCategory,
} from '../../engine/index.js';
import { PostureTally } from '../../grading/index.js';
import { inventoryIndex, type InventoryIndex } from '../shared/inventory-index.js';
import { postureEndpointOf, PostureFindings } from '../shared/posture-endpoints.js';
import type { StoredEndpointFacts } from '../shared/stored-facts.js';
import {
  type FindingRecord,
  type RunBatch,
  type Store,
  type StoredEndpoint,
  type StoredFindingInput,
  type StoredRunInput,
} from '../../store/index.js';
import type { AppContext } from '../shared/context.js';
import { loadCheckLibrary } from '../shared/check-library.js';
import {
  compareFindings,
  materializeFinding,
  metaOf,
  storedFindingOf,
  type SeenDates,
} from '../shared/materialize-findings.js';
import { buildTrustAnchors } from '../shared/trust-store.js';
import { tlsProfilesFor } from '../shared/tls-profiles.js';
import { hasDataStore, openAppStore } from '../shared/data-store.js';
import { ScanSpool, type SpoolRef } from '../shared/scan-spool.js';

export const DEFAULTS = { timeoutMs: 5000, concurrency: 32, expiryDays: 30 } as const;

export interface ScanRequest {
  /** Ad-hoc targets; empty means the inventory. */
  targets: readonly string[];
  inventoryFile: string;
  /** True when the user named the inventory file (then it must exist even with targets). */
  inventoryExplicit?: boolean;
  caFiles: readonly string[];
  categories: readonly ScanCategory[];
  timeoutMs?: number;
  concurrency?: number;
  expiryDays?: number;
  save: boolean;
  /** Extra trust anchors given programmatically (the demo estate's CA). */
  trustAnchors?: readonly X509Certificate[];
  /** Pre-built endpoints (the demo estate), instead of targets or inventory. */
  endpoints?: readonly Endpoint[];
  /** Pre-built domains (the demo estate); otherwise the inventory's, or the bare-host targets with `adHocDomains`. */
  domains?: readonly DomainTarget[];
  /** The user asked for `--only dns` explicitly: bare-host targets are domains too. */
  adHocDomains?: boolean;
  /** Resolver for the DNS checks (`address[:port]`), instead of `dns.resolver` or the system's. */
  resolver?: string;
  /** The resolver validates DNSSEC, instead of `dns.validating`. */
  validatingResolver?: boolean;
  /** MX and MTA-STS servers on other ports than 25 and 443, instead of `scan.mailPorts` (tests). */
  mailPorts?: { smtp: number; mtaSts: number };
  /** Where plain HTTP of a host listens instead of 80, instead of `scan.plainHttpPort` (tests). */
  plainHttpPort?: number;
  /** TLS policy profiles (`NAME[@VERSION]`) for every endpoint, instead of those of vigie.yml. */
  profiles?: readonly string[];
  onProgress?: (done: number, total: number, endpoint: Endpoint) => void;
  /**
   * A run begun elsewhere (distributed scanning) that these endpoints join: their results are
   * appended to it, and it is neither begun, nor finished, nor abandoned here.
   */
  appendTo?: string;
  /** The endpoints come from the inventory (planned as such), though given in `endpoints`. */
  inventoryPlanned?: boolean;
  /** Once aborted (a host job given up), nothing more is saved and the scan fails at its next results. */
  signal?: AbortSignal;
}

function newRunId(at: Date): string {
  return `${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(2).toString('hex')}`;
}

/** A bare host is scanned on its web ports and the risky-service ports; `host:port` and URLs on that port. */
function targetEndpoints(targets: readonly string[], bareHostPorts: readonly number[]): Endpoint[] {
  const seen = new Set<string>();
  const out: Endpoint[] = [];
  for (const input of targets) {
    const t = parseTarget(input);
    const ports = t.port === undefined ? bareHostPorts : [t.port];
    for (const port of ports) {
      const key = `${t.host}|${port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        host: t.host,
        port,
        ...(t.port === undefined ? { implicit: true } : {}),
        ...(t.scheme === 'https' && t.path ? { path: t.path } : {}),
      });
    }
  }
  return out;
}

/** Bare-host targets (no port, no URL) as domains for the DNS and mail checks. */
function targetDomains(targets: readonly string[]): DomainTarget[] {
  const seen = new Set<string>();
  const out: DomainTarget[] = [];
  for (const input of targets) {
    const t = parseTarget(input);
    const domain = t.host.toLowerCase().replace(/\.$/, '');
    if (t.port !== undefined || t.scheme !== undefined || isIP(domain) !== 0 || seen.has(domain)) continue;
    seen.add(domain);
    out.push({ domain, dkimSelectors: [] });
  }
  return out;
}

/** The endpoints a scan of these targets (or of the inventory) covers, with the run's `targets`. */
export function scanEndpoints(
  req: Pick<ScanRequest, 'targets' | 'inventoryFile'>,
  /** vigie.yml, when the caller has already read it (a large inventory is then parsed once). */
  loaded?: VigieConfig,
): {
  endpoints: Endpoint[];
  inventory: boolean;
  targets: string[];
} {
  const useInventory = req.targets.length === 0;
  const config =
    loaded ?? (useInventory || fs.existsSync(req.inventoryFile) ? loadConfig(req.inventoryFile) : undefined);
  const ports = defaultPorts(loadCheckLibrary(config).services);
  return useInventory && config
    ? { endpoints: inventoryEndpoints(config, ports), inventory: true, targets: ['inventory'] }
    : { endpoints: targetEndpoints(req.targets, ports), inventory: false, targets: [...req.targets] };
}

/** The domains a scan of these targets (or of the inventory) gives the DNS and mail checks. */
export function scanDomains(
  req: Pick<ScanRequest, 'targets' | 'inventoryFile' | 'categories' | 'adHocDomains'>,
  /** vigie.yml, when the caller has already read it. */
  loaded?: VigieConfig,
): DomainTarget[] {
  if (!req.categories.includes('dns')) return [];
  if (req.targets.length === 0) return inventoryDomains(loaded ?? loadConfig(req.inventoryFile));
  return req.adHocDomains ? targetDomains(req.targets) : [];
}

/** A new run's identifier: its start time, sortable, and a random suffix. */
export { newRunId };

/** A scan's result read from its spool on demand, until closed. */
export interface SpooledScan {
  result: ScanResultView;
  /** Removes the spool: the result's endpoints and findings cannot be read any more. */
  close(): void;
}

/** A spooled scan's result read into memory (small runs, tests), then its spool removed. */
export function spooledResult(spooled: SpooledScan): ScanResult {
  try {
    const { run, summary, endpoints, findings, posture } = spooled.result;
    return {
      run,
      summary,
      endpoints: [...endpoints],
      findings: [...findings],
      ...(posture ? { posture } : {}),
    };
  } finally {
    spooled.close();
  }
}

/** Scans targets, the inventory or given endpoints; saves the run unless asked not to. */
export async function scanTargets(ctx: AppContext, req: ScanRequest): Promise<ScanResult> {
  return spooledResult(await scanSpooled(ctx, req));
}

/**
 * {@link scanTargets}, its endpoints and findings read from a private spool file as they are
 * written out: memory does not hold them. The caller closes it (it is removed at exit otherwise).
 */
export async function scanSpooled(ctx: AppContext, req: ScanRequest): Promise<SpooledScan> {
  // Planned apart: the inventory (every asset, validated) is then no longer held while the scan runs,
  // only what the plan and the output need of it.
  const planned = planScan(ctx, req);
  // Saved as it goes: each host's results join the running run in batches (invisible to readers
  // until finished); what the engine observed is dropped once judged. The results are set aside in
  // a private spool file for the output: memory keeps where each one lies, and what sorts it.
  const spool = new ScanSpool();
  try {
    return await scanIntoSpool(ctx, req, { spool, ...planned });
  } catch (error) {
    spool.close();
    throw error;
  }
}

/** What a scan runs on: the plan, the engine's options, the run's header, owners and criticalities. */
function planScan(ctx: AppContext, req: ScanRequest): Omit<SpoolScan, 'spool'> {
  const useInventory = !req.endpoints && req.targets.length === 0;
  const config: VigieConfig | undefined =
    useInventory || req.inventoryExplicit || fs.existsSync(req.inventoryFile)
      ? loadConfig(req.inventoryFile)
      : undefined;
  const library = loadCheckLibrary(config);
  const { catalogue } = library;
  const ports = defaultPorts(library.services);
  const endpoints = req.endpoints
    ? [...req.endpoints]
    : useInventory && config
      ? inventoryEndpoints(config, ports)
      : targetEndpoints(req.targets, ports);
  const domains: readonly DomainTarget[] = !req.categories.includes('dns')
    ? []
    : (req.domains ??
      (useInventory && config
        ? inventoryDomains(config)
        : req.adHocDomains
          ? targetDomains(req.targets)
          : []));
  const resolverText = req.resolver ?? config?.dns?.resolver;
  const mailPorts = req.mailPorts ?? config?.scan?.mailPorts;
  const plainHttpPort = req.plainHttpPort ?? config?.scan?.plainHttpPort;
  const trustAnchors = [
    ...buildTrustAnchors([...req.caFiles, ...(config?.trust?.caFiles ?? [])]),
    ...(req.trustAnchors ?? []),
  ];
  const plan = planEndpoints(endpoints, {
    categories: req.categories,
    services: library.services,
    customChecks: library.customChecks,
    adHoc: !useInventory && !req.inventoryPlanned,
  });

  const tlsProfiles = tlsProfilesFor(config, req.profiles ?? [], ctx.lang);
  const started = ctx.clock.now();
  const runId = req.appendTo ?? newRunId(started);
  const header = {
    id: runId,
    startedAt: started.toISOString(),
    scoringVersion: SCORING_VERSION,
    targets: req.endpoints
      ? endpoints.map((e) => `${e.host}:${e.port}`)
      : useInventory
        ? ['inventory']
        : [...req.targets],
  };
  return {
    inventory: inventoryIndex(config),
    catalogue,
    plan,
    header,
    started,
    engine: {
      ...(tlsProfiles ? { tlsProfiles } : {}),
      ...(config?.scan?.tlsEnumeration ? { tlsEnumeration: config.scan.tlsEnumeration } : {}),
      timeoutMs: req.timeoutMs ?? config?.scan?.timeoutMs ?? DEFAULTS.timeoutMs,
      concurrency: req.concurrency ?? config?.scan?.concurrency ?? DEFAULTS.concurrency,
      expiryDays: req.expiryDays ?? config?.scan?.certificateExpiryDays ?? DEFAULTS.expiryDays,
      trustAnchors,
      services: library.serviceCatalogue,
      now: () => ctx.clock.now(),
      lang: ctx.lang,
      ...(plainHttpPort === undefined ? {} : { plainHttpPort }),
      ...(domains.length > 0
        ? {
            domains: {
              targets: domains,
              resolver: resolverText === undefined ? systemResolver() : parseResolverAddress(resolverText),
              validating: req.validatingResolver ?? config?.dns?.validating ?? false,
              ...(mailPorts ? { smtpPort: mailPorts.smtp, mtaStsPort: mailPorts.mtaSts } : {}),
            },
          }
        : {}),
      ...(req.onProgress ? { onEndpointDone: req.onProgress } : {}),
    },
  };
}

/** Where an endpoint's result lies in the spool, and what sorts it. */
interface EndpointEntry {
  host: string;
  port: number;
  ref: SpoolRef;
}

/** Where a finding lies in the spool, what sorts and counts it, and its dates once known. */
interface FindingEntry extends SpoolRef {
  host: string;
  port: number;
  checkId: string;
  severity: Severity;
  category: Category;
  seen?: SeenDates;
}

interface SpoolScan {
  spool: ScanSpool;
  /** Owners and criticalities (not the whole inventory: the result read later must not keep it alive). */
  inventory: InventoryIndex;
  catalogue: Catalogue;
  plan: PlannedEndpoint[];
  header: { id: string; startedAt: string; scoringVersion: string; targets: string[] };
  started: Date;
  engine: Omit<EngineOptions, 'onResults'>;
}

/** Runs the scan, its results into the spool (and the store), and returns the result read from the spool. */
async function scanIntoSpool(ctx: AppContext, req: ScanRequest, s: SpoolScan): Promise<SpooledScan> {
  const { spool, inventory, catalogue, header, started } = s;
  const runId = header.id;
  const store = req.save ? await openAppStore(ctx) : undefined;
  const endpoints: EndpointEntry[] = [];
  const found = new Map<string, FindingEntry>();
  let assessed = 0;
  let batch: RunBatch = { endpoints: [], findings: [] };
  // Appends run one after another, in order; the first failure stops the next ones and fails the
  // scan (at its next results, else once it ends): the run is then abandoned.
  let appending: Promise<void> = Promise.resolve();
  let appendFailure: { error: unknown } | undefined;
  const flush = () => {
    if (store && !req.signal?.aborted && (batch.endpoints.length > 0 || batch.findings.length > 0)) {
      const full = batch;
      appending = appending
        .then(() => (appendFailure ? undefined : store.runs.append(runId, full)))
        .catch((error: unknown) => {
          appendFailure ??= { error };
        });
    }
    batch = { endpoints: [], findings: [] };
  };
  /** Waits for the appends under way; throws the first that failed. */
  const appended = async () => {
    await appending;
    if (appendFailure) throw appendFailure.error;
  };
  // A slow scan still saves what it has every few seconds.
  const timer = store ? setInterval(flush, FLUSH_EVERY_MS) : undefined;
  timer?.unref();
  try {
    if (store && !req.appendTo) {
      await store.runs.removeAbandoned(started);
      await store.runs.begin(header);
    }
    await runScan(s.plan, {
      ...s.engine,
      onResults: (done, findings) => {
        if (appendFailure) throw appendFailure.error;
        req.signal?.throwIfAborted();
        for (const e of done) {
          endpoints.push({ host: e.host, port: e.port, ref: spool.write(e) });
          if (e.status === 'assessed') assessed += 1;
          if (store) batch.endpoints.push(storedEndpoint(e, req.appendTo !== undefined));
        }
        for (const f of findings) {
          const fingerprint = fingerprintOf(f);
          const stored = storedFindingOf(fingerprint, f, catalogue);
          // One finding per fingerprint: the last one seen, in the place of the first.
          found.set(fingerprint, {
            host: f.host,
            port: f.port,
            checkId: f.checkId,
            severity: stored.severity,
            category: stored.category,
            ...spool.write(f),
          });
          if (store) batch.findings.push(stored);
        }
        if (batch.endpoints.length >= BATCH_SIZE) flush();
      },
    });
    // The plan is done with: let a large estate's go before the run is closed and the posture computed.
    s.plan.length = 0;
    clearInterval(timer);
    flush();
    await appended();
  } catch (error) {
    clearInterval(timer);
    if (store) {
      try {
        await appending;
        if (!req.appendTo) await store.runs.abandon(runId);
      } finally {
        await store.close();
      }
    }
    throw error;
  }
  const finished = ctx.clock.now();
  const run: StoredRunInput = { ...header, finishedAt: finished.toISOString(), endpoints: [], findings: [] };
  /** The run's findings as the store keeps them, read back from the spool in pages. */
  function* storedPages(): Generator<StoredFindingInput[]> {
    let page: StoredFindingInput[] = [];
    for (const [fingerprint, entry] of found) {
      page.push(storedFindingOf(fingerprint, spool.read<RawFinding>(entry), catalogue));
      if (page.length >= PREVIEW_PAGE) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }
  if (req.appendTo) {
    // Part of a distributed run: its finishing job merges the history and computes the posture.
    await store?.close();
  } else {
    await persist(ctx, store, run, storedPages, found, async (opened) => {
      // The posture of this run: its findings, minus those under a waiver in force (as known now).
      const waived = new Set(
        ((await opened?.findings.list({ status: ['waived'], now: run.startedAt })) ?? []).map(
          (f) => f.fingerprint,
        ),
      );
      // Gathered one endpoint at a time, each read back from the spool: the findings are held as a
      // reference each, grouped by endpoint, and the endpoints are not held at all.
      const grouped = new PostureFindings();
      for (const [fingerprint, f] of found) grouped.add({ ...f, waived: waived.has(fingerprint) });
      waived.clear();
      const tally = new PostureTally();
      for (const { ref } of endpoints) {
        const e = spool.read<EndpointResult>(ref);
        const counted = postureEndpointOf(
          { ...e, assessed: e.status === 'assessed' },
          grouped.byEndpoint,
          inventory,
        );
        if (counted) tally.add(counted);
      }
      run.posture = tally.posture();
    });
  }

  const bySeverity = Object.fromEntries(SEVERITIES.map((v) => [v, 0])) as Record<Severity, number>;
  for (const f of found.values()) bySeverity[f.severity] += 1;
  endpoints.sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port);
  const findingOrder = [...found].sort(([, a], [, b]) => compareFindings(a, b));
  found.clear();
  const lang = ctx.lang;
  const result: ScanResultView = {
    run: {
      id: runId,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      scoringVersion: SCORING_VERSION,
      targets: run.targets,
      saved: req.save,
    },
    summary: {
      endpoints: endpoints.length,
      assessed,
      findings: findingOrder.length,
      bySeverity,
    },
    endpoints: spooledList(endpoints, ({ ref }) => spool.read<EndpointResult>(ref)),
    findings: spooledList(findingOrder, ([fingerprint, entry]) => {
      const raw = spool.read<RawFinding>(entry);
      const seen = entry.seen ?? { firstSeen: run.startedAt, lastSeen: run.startedAt };
      return materializeFinding(raw, metaOf(catalogue, raw.checkId), fingerprint, seen, lang);
    }),
    ...(run.posture ? { posture: run.posture } : {}),
  };
  return { result, close: () => spool.close() };
}

/** A list read from the spool each time it is iterated; `toJSON` gives it whole, as an array. */
export function spooledList<E, T>(
  entries: readonly E[],
  read: (entry: E) => T,
): ListView<T> & { toJSON(): T[] } {
  return {
    length: entries.length,
    *[Symbol.iterator]() {
      for (const entry of entries) yield read(entry);
    },
    toJSON() {
      return entries.map(read);
    },
  };
}

/** Endpoints saved per batch while the scan runs. */
const BATCH_SIZE = 200;
const FLUSH_EVERY_MS = 1000;

/** An endpoint as saved; `withAddress` for a part of a distributed run, whose output is read back from the store. */
function storedEndpoint(e: EndpointResult, withAddress = false): StoredEndpoint {
  return {
    host: e.host,
    port: e.port,
    ...(e.assetId ? { assetId: e.assetId } : {}),
    status: e.status,
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.detail ? { detail: e.detail } : {}),
    checks: e.checks,
    facts: withAddress && e.address ? { address: e.address, ...endpointFacts(e) } : endpointFacts(e),
  };
}

/** What reports need later about an endpoint, beyond its check verdicts. */
function endpointFacts(e: EndpointResult): StoredEndpointFacts {
  return {
    ...(e.tls ? { tls: e.tls } : {}),
    ...(e.http ? { http: e.http } : {}),
    ...(e.service ? { service: e.service } : {}),
    ...(e.dns ? { dns: e.dns } : {}),
    ...(e.smtp ? { smtp: e.smtp } : {}),
    ...(e.closed ? { closed: true } : {}),
    // The families that failed: the report's posture leaves those parts unevaluated too.
    ...(e.errors ? { errors: e.errors } : {}),
  };
}

/** Findings previewed at a time without --no-save's store writes: the dates only are kept. */
const PREVIEW_PAGE = 500;

/**
 * Finishes the run saved in batches (one transaction), or only previews first/last seen dates with
 * --no-save (page by page); `beforeSave` completes the run from the store first (posture with today's
 * waivers). The dates go to each finding's entry.
 */
async function persist(
  ctx: AppContext,
  store: Store | undefined,
  run: StoredRunInput,
  pages: () => Iterable<StoredFindingInput[]>,
  found: Map<string, FindingEntry>,
  beforeSave: (store: Store | undefined) => Promise<void>,
): Promise<void> {
  // Findings share a handful of dates (those of the runs that first and last saw them): one object
  // for each pair, so a finding's dates cost it a reference.
  const pairs = new Map<string, SeenDates>();
  const date = (records: readonly FindingRecord[]) => {
    for (const r of records) {
      const entry = found.get(r.fingerprint);
      if (!entry) continue;
      const pair = `${r.firstSeen}|${r.lastSeen}`;
      let seen = pairs.get(pair);
      if (!seen) {
        seen = { firstSeen: r.firstSeen, lastSeen: r.lastSeen };
        pairs.set(pair, seen);
      }
      entry.seen = seen;
    }
  };
  if (store) {
    try {
      await beforeSave(store);
      // Page by page: the run's merged findings are never held at once.
      await store.runs.finish(run.id, {
        finishedAt: run.finishedAt,
        ...(run.posture ? { posture: run.posture } : {}),
        onMerged: date,
      });
      return;
    } catch (error) {
      await store.runs.abandon(run.id);
      throw error;
    } finally {
      await store.close();
    }
  }
  if (!hasDataStore(ctx)) {
    await beforeSave(undefined);
    return;
  }
  const opened = await openAppStore(ctx);
  try {
    await beforeSave(opened);
    for (const page of pages()) date(await opened.runs.preview({ ...run, findings: page }));
  } finally {
    await opened.close();
  }
}
