import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  fingerprintOf,
  SCORING_VERSION,
  type DomainTarget,
  SEVERITIES,
  type Endpoint,
  type EndpointResult,
  type Finding,
  type RawFinding,
  type ScanResult,
  type Severity,
  type ConnectionGate,
} from '../../domain/index.js';
import { loadConfig, type FleetLimits, type VigieConfig } from '../../config/index.js';
import { computePosture } from '../../grading/index.js';
import type { QueueJob } from '../../queue/index.js';
import { DOMAIN_PORT, withConnectionGate, type ScanCategory } from '../../engine/index.js';
import { scanTargets, type ScanRequest } from '../scan/index.js';
import type { AppContext } from '../shared/context.js';
import { loadCheckLibrary } from '../shared/check-library.js';
import { openAppStore } from '../shared/data-store.js';
import { inventoryIndex } from '../shared/inventory-index.js';
import {
  compareFindings,
  materializeFinding,
  metaOf,
  storedFindingOf,
} from '../shared/materialize-findings.js';
import { postureEndpoints } from '../shared/posture-endpoints.js';

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
  /** Host job ids, with what each covers (a host that failed for good becomes `scan.error`). */
  hosts: { jobId: string; host: string; endpoints: Endpoint[] }[];
  /** Every asset of the inventory, with `scan.config` (their criticality weighs in the posture). */
  assets?: VigieConfig['assets'];
}

/** What a host job returns (read by the finishing job). */
export interface HostOutcome {
  host: string;
  endpoints: EndpointResult[];
  findings: Finding[];
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
  return { host: data.host, endpoints: result.endpoints, findings: result.findings };
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
  return { host: DOMAINS_JOB, endpoints: result.endpoints, findings: result.findings };
}

/** The name the domains job goes by where a host job gives its host (progress, deadline message). */
export const DOMAINS_JOB = 'dns';

/**
 * Closes the run: hosts whose job failed after its retries become `scan.error` endpoints, then the
 * run is finished as `vigie scan` finishes it (history merged, what was not seen resolved, posture).
 */
export async function runFinishJob(ctx: AppContext, job: QueueJob, data: FinishJobData): Promise<ScanResult> {
  const s = data.scan;
  // The run's configuration as enqueued; only older jobs read vigie.yml again.
  const config: VigieConfig | undefined = s.config
    ? { ...s.config, assets: data.assets ?? [] }
    : fs.existsSync(s.inventoryFile)
      ? loadConfig(s.inventoryFile)
      : undefined;
  const { catalogue } = loadCheckLibrary(config);
  const values = await job.childrenValues();
  const failures = await job.ignoredFailures();
  const endpoints: EndpointResult[] = [];
  const findings = new Map<string, Finding>();
  const failed: { endpoints: EndpointResult[]; raw: [string, RawFinding][] } = { endpoints: [], raw: [] };
  for (const h of data.hosts) {
    const outcome = values.get(h.jobId) as HostOutcome | undefined;
    if (outcome) {
      endpoints.push(...outcome.endpoints);
      for (const f of outcome.findings) findings.set(f.fingerprint, f);
      continue;
    }
    const detail = (failures.get(h.jobId) ?? 'job failed').slice(0, 500);
    for (const e of h.endpoints) {
      const result: EndpointResult = {
        host: e.host,
        port: e.port,
        ...(e.assetId ? { assetId: e.assetId } : {}),
        status: 'error',
        reason: 'internal',
        detail,
        checks: { 'scan.error': 'fail' },
      };
      const raw: RawFinding = {
        checkId: 'scan.error',
        host: e.host,
        port: e.port,
        ...(e.assetId ? { assetId: e.assetId } : {}),
        params: { reason: 'internal', detail },
      };
      failed.endpoints.push(result);
      failed.raw.push([fingerprintOf(raw), raw]);
    }
  }
  const store = await openAppStore(ctx);
  try {
    // A finishing job taken again after its run was finished (its worker died just after) finds
    // the run finished, saves nothing more, and answers with the dates as saved.
    const already = await store.runs.get(s.runId);
    if (failed.endpoints.length > 0 && already === undefined) {
      await store.runs.append(s.runId, {
        endpoints: failed.endpoints.map((e) => ({
          host: e.host,
          port: e.port,
          ...(e.assetId ? { assetId: e.assetId } : {}),
          status: e.status,
          ...(e.reason ? { reason: e.reason } : {}),
          ...(e.detail ? { detail: e.detail } : {}),
          checks: e.checks,
          facts: {},
        })),
        findings: failed.raw.map(([fingerprint, raw]) => storedFindingOf(fingerprint, raw, catalogue)),
      });
    }
    if (failed.endpoints.length > 0) {
      endpoints.push(...failed.endpoints);
      for (const [fingerprint, raw] of failed.raw) {
        findings.set(
          fingerprint,
          materializeFinding(
            raw,
            metaOf(catalogue, raw.checkId),
            fingerprint,
            { firstSeen: s.startedAt, lastSeen: s.startedAt },
            ctx.lang,
          ),
        );
      }
    }
    const waived = new Set(
      (await store.findings.list({ status: ['waived'], now: s.startedAt })).map((f) => f.fingerprint),
    );
    const posture = computePosture(
      postureEndpoints({
        endpoints: endpoints.map((e) => ({ ...e, assessed: e.status === 'assessed' })),
        findings: [...findings.values()].map((f) => ({ ...f, waived: waived.has(f.fingerprint) })),
        inventory: inventoryIndex(config),
      }),
    );
    const finishedAt = already?.finishedAt ?? ctx.clock.now().toISOString();
    const records = already ? already.findings : await store.runs.finish(s.runId, { finishedAt, posture });
    for (const r of records) {
      const f = findings.get(r.fingerprint);
      if (f) findings.set(r.fingerprint, { ...f, firstSeen: r.firstSeen, lastSeen: r.lastSeen });
    }
    const list = [...findings.values()].sort(compareFindings);
    const bySeverity = Object.fromEntries(SEVERITIES.map((sev) => [sev, 0])) as Record<Severity, number>;
    for (const f of list) bySeverity[f.severity] += 1;
    return {
      run: {
        id: s.runId,
        startedAt: s.startedAt,
        finishedAt,
        scoringVersion: SCORING_VERSION,
        targets: s.targets,
        saved: true,
      },
      summary: {
        endpoints: endpoints.length,
        assessed: endpoints.filter((e) => e.status === 'assessed').length,
        findings: list.length,
        bySeverity,
      },
      endpoints: endpoints.sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port),
      findings: list,
      posture,
    };
  } finally {
    await store.close();
  }
}
