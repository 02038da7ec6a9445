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
  type Finding,
  type EndpointResult,
  type RawFinding,
  type ScanResult,
  type Severity,
} from '../../domain/index.js';
import { inventoryDomains, inventoryEndpoints, loadConfig, type VigieConfig } from '../../config/index.js';
import { parseResolverAddress, systemResolver } from '../../probes/dns/index.js';
import { defaultPorts, planEndpoints, runScan, type ScanCategory } from '../../engine/index.js';
import { computePosture } from '../../grading/index.js';
import { inventoryIndex } from '../shared/inventory-index.js';
import { postureEndpoints } from '../shared/posture-endpoints.js';
import type { StoredEndpointFacts } from '../shared/stored-facts.js';
import {
  type FindingRecord,
  type RunBatch,
  type Store,
  type StoredEndpoint,
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
export function scanEndpoints(req: Pick<ScanRequest, 'targets' | 'inventoryFile'>): {
  endpoints: Endpoint[];
  inventory: boolean;
  targets: string[];
} {
  const useInventory = req.targets.length === 0;
  const config = useInventory || fs.existsSync(req.inventoryFile) ? loadConfig(req.inventoryFile) : undefined;
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

/** Scans targets, the inventory or given endpoints; saves the run unless asked not to. */
export async function scanTargets(ctx: AppContext, req: ScanRequest): Promise<ScanResult> {
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
  // Saved as it goes: each host's results join the running run in batches (invisible to readers
  // until finished); what the engine observed is dropped once judged.
  const store = req.save ? await openAppStore(ctx) : undefined;
  const results: EndpointResult[] = [];
  const raw = new Map<string, RawFinding>();
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
    await runScan(plan, {
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
      onResults: (done, findings) => {
        if (appendFailure) throw appendFailure.error;
        req.signal?.throwIfAborted();
        for (const e of done) {
          results.push(e);
          batch.endpoints.push(storedEndpoint(e));
        }
        for (const f of findings) {
          const fingerprint = fingerprintOf(f);
          raw.set(fingerprint, f);
          batch.findings.push(storedFindingOf(fingerprint, f, catalogue));
        }
        if (batch.endpoints.length >= BATCH_SIZE) flush();
      },
    });
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

  const stored: StoredRunInput = {
    ...header,
    finishedAt: finished.toISOString(),
    endpoints: [],
    findings: [...raw].map(([fingerprint, f]) => storedFindingOf(fingerprint, f, catalogue)),
  };
  const engine = { endpoints: results };
  if (req.appendTo) {
    // Part of a distributed run: its finishing job merges the history and computes the posture.
    await store?.close();
  }
  const byFingerprint = req.appendTo
    ? new Map<string, SeenDates>()
    : await persist(ctx, store, stored, async (opened) => {
        // The posture of this run: its findings, minus those under a waiver in force (as known now).
        const waived = new Set(
          ((await opened?.findings.list({ status: ['waived'], now: stored.startedAt })) ?? []).map(
            (f) => f.fingerprint,
          ),
        );
        stored.posture = computePosture(
          postureEndpoints({
            endpoints: engine.endpoints.map((e) => ({ ...e, assessed: e.status === 'assessed' })),
            findings: stored.findings.map((f) => ({ ...f, waived: waived.has(f.fingerprint) })),
            inventory: inventoryIndex(config),
          }),
        );
      });
  // The run's stored findings are not needed any more (persist kept only their dates).
  stored.findings = [];
  const findings: Finding[] = [...raw]
    .map(([fingerprint, raw]) => {
      const rec = byFingerprint.get(fingerprint);
      const seen = rec
        ? { firstSeen: rec.firstSeen, lastSeen: rec.lastSeen }
        : { firstSeen: stored.startedAt, lastSeen: stored.startedAt };
      return materializeFinding(raw, metaOf(catalogue, raw.checkId), fingerprint, seen, ctx.lang);
    })
    .sort(compareFindings);
  raw.clear();
  byFingerprint.clear();

  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) bySeverity[f.severity] += 1;
  return {
    run: {
      id: runId,
      startedAt: stored.startedAt,
      finishedAt: stored.finishedAt,
      scoringVersion: SCORING_VERSION,
      targets: stored.targets,
      saved: req.save,
    },
    summary: {
      endpoints: engine.endpoints.length,
      assessed: engine.endpoints.filter((e) => e.status === 'assessed').length,
      findings: findings.length,
      bySeverity,
    },
    endpoints: [...engine.endpoints].sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port),
    findings,
    ...(stored.posture ? { posture: stored.posture } : {}),
  };
}

/** Endpoints saved per batch while the scan runs. */
const BATCH_SIZE = 200;
const FLUSH_EVERY_MS = 1000;

function storedEndpoint(e: EndpointResult): StoredEndpoint {
  return {
    host: e.host,
    port: e.port,
    ...(e.assetId ? { assetId: e.assetId } : {}),
    status: e.status,
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.detail ? { detail: e.detail } : {}),
    checks: e.checks,
    facts: endpointFacts(e),
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

/** First and last seen dates by fingerprint: all the scan's output needs of the findings' history. */
function datesOf(
  records: readonly FindingRecord[],
  into = new Map<string, SeenDates>(),
): Map<string, SeenDates> {
  for (const r of records) into.set(r.fingerprint, { firstSeen: r.firstSeen, lastSeen: r.lastSeen });
  return into;
}

/**
 * Finishes the run saved in batches (one transaction), or only previews first/last seen dates with
 * --no-save (page by page); `beforeSave` completes the run from the store first (posture with today's
 * waivers).
 */
async function persist(
  ctx: AppContext,
  store: Store | undefined,
  run: StoredRunInput,
  beforeSave: (store: Store | undefined) => Promise<void>,
): Promise<Map<string, SeenDates>> {
  if (store) {
    try {
      await beforeSave(store);
      return datesOf(
        await store.runs.finish(run.id, {
          finishedAt: run.finishedAt,
          ...(run.posture ? { posture: run.posture } : {}),
        }),
      );
    } catch (error) {
      await store.runs.abandon(run.id);
      throw error;
    } finally {
      await store.close();
    }
  }
  if (!hasDataStore(ctx)) {
    await beforeSave(undefined);
    return new Map();
  }
  const opened = await openAppStore(ctx);
  try {
    await beforeSave(opened);
    const dates = new Map<string, SeenDates>();
    for (let i = 0; i < run.findings.length; i += PREVIEW_PAGE) {
      datesOf(
        await opened.runs.preview({ ...run, findings: run.findings.slice(i, i + PREVIEW_PAGE) }),
        dates,
      );
    }
    return dates;
  } finally {
    await opened.close();
  }
}
