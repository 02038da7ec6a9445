import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  fingerprintOf,
  OperationalError,
  SCORING_VERSION,
  type Catalogue,
  type ConnectionGate,
  type Criticality,
  type DomainTarget,
  type Endpoint,
  type PostureIndex,
  type RawFinding,
  type ScanResult,
} from '../../domain/index.js';
import { loadConfig, type FleetLimits, type VigieConfig } from '../../config/index.js';
import { PostureTally } from '../../grading/index.js';
import { msg } from '../../i18n/index.js';
import type { QueueJob } from '../../queue/index.js';
import { DOMAIN_PORT, withConnectionGate, type ScanCategory } from '../../engine/index.js';
import { scanTargets, type ScanRequest } from '../scan/index.js';
import type { AppContext } from '../shared/context.js';
import { loadCheckLibrary } from '../shared/check-library.js';
import type { Store, StoredEndpoint, StoredFindingInput } from '../../store/index.js';
import { openAppStore } from '../shared/data-store.js';
import { inventoryIndex, type InventoryIndex } from '../shared/inventory-index.js';
import { storedFindingOf } from '../shared/materialize-findings.js';
import { postureEndpointOf, PostureFindings } from '../shared/posture-endpoints.js';
import { readFacts } from '../shared/stored-facts.js';
import { eachRunPage, severityCounts, type FinishOutcome } from './run-result.js';

/** What every job of a distributed scan knows of the scan asked. */
export interface ScanSettings {
  runId: string;
  startedAt: string;
  targets: string[];
  /** Absolute path of vigie.yml (the same on every worker's machine). */
  inventoryFile: string;
  /** The endpoints come from the inventory. */
  inventory: boolean;
  categories: ScanCategory[];
  caFiles: string[];
  profiles: string[];
  timeoutMs?: number;
  concurrency?: number;
  /** The fleet's limits for this run (absent in jobs enqueued before they existed: the defaults). */
  fleet?: FleetLimits;
  /**
   * vigie.yml as validated when the run was enqueued, without its assets (each host job carries its
   * own): a worker then never parses the whole inventory for a host. Absent without vigie.yml (and
   * in older jobs: the worker reads `inventoryFile`).
   */
  config?: VigieConfig;
}

/** A host job: one host with all its endpoints (per-host politeness holds on one worker). */
export interface HostJobData {
  kind: 'host';
  scan: ScanSettings;
  host: string;
  endpoints: Endpoint[];
  /** The inventory's assets of these endpoints, with `scan.config`. */
  assets?: VigieConfig['assets'];
}

/**
 * The domains job: the DNS and mail checks of every domain of the scan (the inventory's, or the
 * bare-host targets of `--only dns`), with the mail servers they name, on one worker.
 */
export interface DomainsJobData {
  kind: 'domains';
  scan: ScanSettings;
  domains: DomainTarget[];
}

/** What the finishing job expects of the domains job when it fails for good: one endpoint per domain. */
export function domainsJobEndpoints(domains: readonly DomainTarget[]): Endpoint[] {
  return domains.map((d) => ({ host: d.domain, port: DOMAIN_PORT }));
}

/** The finishing job: closes the run once every host job has ended. */
export interface FinishJobData {
  kind: 'finish';
  scan: ScanSettings;
  /**
   * Host job ids and hosts (a host that failed for good becomes `scan.error`: its endpoints are read
   * from its own job). Jobs enqueued before 0.x carried each host's endpoints here.
   */
  hosts: { jobId: string; host: string; endpoints?: Endpoint[] }[];
  /** Every asset of the inventory, in jobs enqueued before `assetIndex` (read if there). */
  assets?: VigieConfig['assets'];
  /** Owner and criticality of each asset of vigie.yml, by id: all the posture needs of the inventory. */
  assetIndex?: AssetIndexEntry[];
}

/** An asset as the posture weighs it: id, owner, criticality. */
export type AssetIndexEntry = [id: string, owner: string, criticality: Criticality];

/** The posture's view of vigie.yml's assets, compact enough for the finishing job's data. */
export function assetIndexOf(assets: VigieConfig['assets']): AssetIndexEntry[] {
  return assets.map((a) => [a.id, a.owner, a.criticality]);
}

/**
 * What a host job (or the domains job) returns to the finishing job: how many endpoints and findings
 * it saved. Its results are in the store, appended to the run. (Jobs of older versions returned the
 * lists; they are not read.)
 */
export interface HostOutcome {
  host: string;
  endpoints: number;
  findings: number;
}

/** Runs one host job: the same engine as `vigie scan` on the host's endpoints, appended to the run. */
export async function runHostJob(
  ctx: AppContext,
  data: HostJobData,
  signal?: AbortSignal,
  gate?: ConnectionGate,
): Promise<HostOutcome> {
  const s = data.scan;
  const result = await scanPart(
    ctx,
    s,
    data.assets ?? [],
    {
      inventoryPlanned: s.inventory,
      endpoints: data.endpoints,
      categories: s.categories.filter((c) => c !== 'dns'),
    },
    signal,
    gate,
  );
  return { host: data.host, endpoints: result.endpoints.length, findings: result.findings.length };
}

/**
 * Scans one part of a distributed run (a host, or the domains) with the engine of `vigie scan`,
 * appended to the run: vigie.yml as enqueued with only this part's assets (else the file itself),
 * and the fleet's gate in front of every connection.
 */
async function scanPart(
  ctx: AppContext,
  s: ScanSettings,
  assets: VigieConfig['assets'],
  part: Pick<ScanRequest, 'endpoints' | 'domains' | 'categories' | 'inventoryPlanned'>,
  signal?: AbortSignal,
  gate?: ConnectionGate,
): Promise<ScanResult> {
  const slim = s.config ? writeJobConfig({ ...s.config, assets }) : undefined;
  const scan = (): Promise<ScanResult> =>
    scanTargets(ctx, {
      targets: [],
      inventoryFile: slim?.file ?? s.inventoryFile,
      inventoryExplicit: s.inventory,
      ...part,
      caFiles: s.caFiles,
      profiles: s.profiles,
      save: true,
      appendTo: s.runId,
      ...(signal ? { signal } : {}),
      ...(s.timeoutMs === undefined ? {} : { timeoutMs: s.timeoutMs }),
      ...(s.concurrency === undefined ? {} : { concurrency: s.concurrency }),
    });
  try {
    // The engine is built by the scan use case: the fleet's gate reaches it through the async scope.
    return gate ? await withConnectionGate(gate, scan) : await scan();
  } finally {
    slim?.remove();
  }
}

/**
 * The job's configuration in a file of its own (JSON, which YAML reads), private to this process:
 * the scan use case reads its settings from a file. Paths in it are already absolute.
 */
function writeJobConfig(config: VigieConfig): { file: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-job-'));
  const file = path.join(dir, 'vigie.yml');
  fs.writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the domains job: the engine of `vigie scan --only dns` on the scan's domains, appended to the run. */
export async function runDomainsJob(
  ctx: AppContext,
  data: DomainsJobData,
  signal?: AbortSignal,
  gate?: ConnectionGate,
): Promise<HostOutcome> {
  // The domains are in the job: the rest of vigie.yml (resolver, mail ports) is enough.
  const result = await scanPart(
    ctx,
    data.scan,
    [],
    { endpoints: [], domains: data.domains, categories: ['dns'] },
    signal,
    gate,
  );
  return { host: DOMAINS_JOB, endpoints: result.endpoints.length, findings: result.findings.length };
}

/** The name the domains job goes by where a host job gives its host (progress, deadline message). */
export const DOMAINS_JOB = 'dns';

/** The endpoints a child job covered, from its data: those of a host, or one per domain. */
function endpointsOfJob(data: unknown): Endpoint[] {
  const d = data as Partial<HostJobData> | Partial<DomainsJobData> | undefined;
  if (d?.kind === 'host') return d.endpoints ?? [];
  if (d?.kind === 'domains') return domainsJobEndpoints(d.domains ?? []);
  return [];
}

/** The `scan.error` endpoint and finding of an endpoint whose job failed for good. */
function failedEndpoint(
  e: Endpoint,
  detail: string,
  catalogue: Catalogue,
): [StoredEndpoint, StoredFindingInput] {
  const raw: RawFinding = {
    checkId: 'scan.error',
    host: e.host,
    port: e.port,
    ...(e.assetId ? { assetId: e.assetId } : {}),
    params: { reason: 'internal', detail },
  };
  return [
    {
      host: e.host,
      port: e.port,
      ...(e.assetId ? { assetId: e.assetId } : {}),
      status: 'error',
      reason: 'internal',
      detail,
      checks: { 'scan.error': 'fail' },
      facts: {},
    },
    storedFindingOf(fingerprintOf(raw), raw, catalogue),
  ];
}

/** Failed endpoints appended at a time. */
const FAILED_BATCH = 200;

/**
 * Closes the run: hosts whose job failed after its retries become `scan.error` endpoints (read from
 * the failed jobs alone), then the run is finished as `vigie scan` finishes it (history merged, what
 * was not seen resolved, posture), reading its endpoints and findings from the store page by page.
 * Returns the run, its counts and its posture: the lists are read from the store by whoever needs
 * them, never carried through Redis.
 */
export async function runFinishJob(
  ctx: AppContext,
  job: QueueJob,
  data: FinishJobData,
): Promise<FinishOutcome> {
  const s = data.scan;
  // The run's configuration as enqueued, without its assets; only the oldest jobs read vigie.yml again.
  const config: VigieConfig | undefined = s.config
    ? { ...s.config, assets: data.assets ?? [] }
    : fs.existsSync(s.inventoryFile)
      ? loadConfig(s.inventoryFile)
      : undefined;
  const { catalogue } = loadCheckLibrary(config);
  const inventory: InventoryIndex = data.assetIndex
    ? {
        organisation: config?.organisation.name ?? '—',
        assets: new Map(
          data.assetIndex.map(([id, owner, criticality]) => [id, { id, name: id, owner, criticality }]),
        ),
      }
    : inventoryIndex(config);
  const failures = await job.ignoredFailures();
  const store = await openAppStore(ctx);
  try {
    // A finishing job taken again after its run was finished (its worker died just after) finds
    // the run finished, saves nothing more, and answers with the dates as saved.
    const already = await store.runs.summary(s.runId);
    if (already) {
      const counts = await finishedCounts(store, s.runId);
      return outcomeOf(s, already.finishedAt, counts, already.posture);
    }
    // A host job never added (the process adding them died before the last batch, and the gate
    // opened on its own): the run lacks hosts, so it is not closed as if it had them all.
    const ended = new Set([...(await job.childrenValues()).keys(), ...failures.keys()]);
    const missing = data.hosts.filter((h) => !ended.has(h.jobId)).length;
    if (missing > 0) {
      await store.runs.abandon(s.runId);
      throw new OperationalError(
        msg('dist-finish.incomplete', { id: s.runId, missing, total: data.hosts.length }),
      );
    }
    for (const [jobId, reason] of failures) {
      const detail = reason.slice(0, 500);
      const listed = data.hosts.find((h) => h.jobId === jobId)?.endpoints;
      const endpoints = listed ?? endpointsOfJob(await job.jobData(jobId));
      for (let i = 0; i < endpoints.length; i += FAILED_BATCH) {
        const failed = endpoints.slice(i, i + FAILED_BATCH).map((e) => failedEndpoint(e, detail, catalogue));
        await store.runs.append(s.runId, {
          endpoints: failed.map(([e]) => e),
          findings: failed.map(([, f]) => f),
        });
      }
    }
    const waived = new Set(
      (await store.findings.list({ status: ['waived'], now: s.startedAt })).map((f) => f.fingerprint),
    );
    // The posture from the run as saved: its findings grouped by endpoint (a reference each), then
    // its endpoints counted one at a time, both read page by page.
    const grouped = new PostureFindings();
    const bySeverity = severityCounts();
    let findings = 0;
    await eachRunPage(
      (after, limit) => store.runs.stagedFindingsPage(s.runId, after, limit),
      (page) => {
        for (const f of page) {
          findings += 1;
          bySeverity[f.severity] += 1;
          grouped.add({ ...f, waived: waived.has(f.fingerprint) });
        }
      },
    );
    const tally = new PostureTally();
    let total = 0;
    let assessed = 0;
    await eachRunPage(
      (after, limit) => store.runs.endpointsPage(s.runId, after, limit),
      (page) => {
        for (const e of page) {
          const facts = readFacts(e.facts);
          total += 1;
          if (e.status === 'assessed') assessed += 1;
          const counted = postureEndpointOf(
            {
              host: e.host,
              port: e.port,
              ...(e.assetId ? { assetId: e.assetId } : {}),
              assessed: e.status === 'assessed',
              ...(facts.closed ? { closed: facts.closed } : {}),
              ...(facts.errors ? { errors: facts.errors } : {}),
            },
            grouped.byEndpoint,
            inventory,
          );
          if (counted) tally.add(counted);
        }
      },
    );
    const posture = tally.posture();
    const finishedAt = ctx.clock.now().toISOString();
    // Page by page: the merged findings are never held at once (their dates are read back by the output).
    await store.runs.finish(s.runId, { finishedAt, posture, onMerged: () => undefined });
    return outcomeOf(s, finishedAt, { endpoints: total, assessed, findings, bySeverity }, posture);
  } finally {
    await store.close();
  }
}

/** The counts of a finished run, read from the store page by page. */
async function finishedCounts(store: Store, runId: string): Promise<ScanResult['summary']> {
  const summary = { endpoints: 0, assessed: 0, findings: 0, bySeverity: severityCounts() };
  await eachRunPage(
    (after, limit) => store.runs.endpointsPage(runId, after, limit),
    (page) => {
      summary.endpoints += page.length;
      summary.assessed += page.filter((e) => e.status === 'assessed').length;
    },
  );
  await eachRunPage(
    (after, limit) => store.runs.findingsPage(runId, after, limit),
    (page) => {
      summary.findings += page.length;
      for (const f of page) summary.bySeverity[f.severity] += 1;
    },
  );
  return summary;
}

function outcomeOf(
  s: ScanSettings,
  finishedAt: string,
  summary: ScanResult['summary'],
  posture: PostureIndex | undefined,
): FinishOutcome {
  return {
    run: {
      id: s.runId,
      startedAt: s.startedAt,
      finishedAt,
      scoringVersion: SCORING_VERSION,
      targets: s.targets,
      saved: true,
    },
    summary,
    ...(posture ? { posture } : {}),
  };
}
