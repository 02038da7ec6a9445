import {
  SEVERITIES,
  type Catalogue,
  type EndpointResult,
  type Finding,
  type FindingRecord,
  type PostureIndex,
  type ScanResult,
  type ScanResultView,
  type Severity,
} from '../../domain/index.js';
import type { Lang } from '../../i18n/index.js';
import type { RunPage, Store, StoredEndpoint } from '../../store/index.js';
import { ScanSpool, spooledList, type SpooledScan, type SpoolRef } from '../scan/index.js';
import { compareFindings, recordFinding } from '../shared/materialize-findings.js';
import { readFacts } from '../shared/stored-facts.js';

/** What the finishing job returns: the run closed, its counts and posture (its lists are in the store). */
export interface FinishOutcome {
  run: ScanResult['run'];
  summary: ScanResult['summary'];
  posture?: PostureIndex;
}

/** Rows read from the store at a time. */
export const RUN_READ_PAGE = 500;

/** Every row of a run, page after page: one page is held at a time. */
export async function eachRunPage<T>(
  read: (after: number | undefined, limit: number) => Promise<RunPage<T>>,
  each: (items: T[]) => void | Promise<void>,
): Promise<void> {
  let after: number | undefined;
  for (;;) {
    const page = await read(after, RUN_READ_PAGE);
    await each(page.items);
    if (page.next === undefined) return;
    after = page.next;
  }
}

/** Counts by severity, every severity at 0. */
export function severityCounts(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((sev) => [sev, 0])) as Record<Severity, number>;
}

/**
 * An endpoint's result as the engine gave it, from what the store kept of it: the same keys in the
 * same order (the JSON of `scan --distributed` is the JSON of `vigie scan`).
 */
export function endpointResultOf(e: StoredEndpoint): EndpointResult {
  const facts = readFacts(e.facts);
  const status = e.status;
  const assetId = e.assetId ? { assetId: e.assetId } : {};
  const reason = e.reason === undefined ? {} : { reason: e.reason as NonNullable<EndpointResult['reason']> };
  const detail = e.detail === undefined ? {} : { detail: e.detail };
  const factless = Object.keys(facts).length === 0;
  if (factless && status !== 'assessed') {
    // An endpoint the engine could not take up: its name did not resolve, or its assessment threw
    // (then without asset, and its checks before its detail); a host job that failed for good.
    if (e.reason === 'internal' && !e.assetId && Object.keys(e.checks).length === 0)
      return { host: e.host, port: e.port, status, ...reason, checks: e.checks, ...detail };
    return { host: e.host, port: e.port, ...assetId, status, ...reason, ...detail, checks: e.checks };
  }
  const head = {
    host: e.host,
    port: e.port,
    ...(facts.address ? { address: facts.address } : {}),
    ...assetId,
    status,
    checks: e.checks,
  };
  if (facts.dns) {
    // A domain: its failures, then the records seen.
    return {
      ...head,
      ...reason,
      ...detail,
      ...(facts.errors ? { errors: facts.errors } : {}),
      dns: facts.dns,
    };
  }
  return {
    ...head,
    ...(facts.smtp ? { smtp: facts.smtp } : {}),
    ...(facts.tls ? { tls: facts.tls } : {}),
    ...(facts.http ? { http: facts.http } : {}),
    ...(facts.service ? { service: facts.service } : {}),
    ...(facts.closed ? { closed: facts.closed } : {}),
    ...reason,
    ...detail,
    ...(facts.errors ? { errors: facts.errors } : {}),
  };
}

interface FindingEntry extends SpoolRef {
  host: string;
  port: number;
  checkId: string;
  severity: Severity;
}

/**
 * The result of a finished distributed run, read from the store into a private spool page by page:
 * its endpoints and findings are read from the spool on demand, never held (as `vigie scan`'s). The
 * order is `vigie scan`'s: endpoints by host and port, findings most severe first.
 */
export async function readRunSpooled(
  store: Store,
  outcome: FinishOutcome,
  catalogue: Catalogue,
  lang: Lang,
): Promise<SpooledScan> {
  const runId = outcome.run.id;
  const spool = new ScanSpool();
  try {
    const endpoints: { host: string; port: number; ref: SpoolRef }[] = [];
    await eachRunPage(
      (after, limit) => store.runs.endpointsPage(runId, after, limit),
      (page) => {
        for (const e of page)
          endpoints.push({ host: e.host, port: e.port, ref: spool.write(endpointResultOf(e)) });
      },
    );
    const findings: FindingEntry[] = [];
    await eachRunPage(
      (after, limit) => store.runs.findingsPage(runId, after, limit),
      (page) => {
        for (const r of page) {
          const f = recordFinding(r, catalogue, lang);
          findings.push({
            host: f.host,
            port: f.port,
            checkId: f.checkId,
            severity: f.severity,
            ...spool.write(f),
          });
        }
      },
    );
    endpoints.sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port);
    findings.sort(compareFindings);
    const result: ScanResultView = {
      run: outcome.run,
      summary: outcome.summary,
      endpoints: spooledList(endpoints, ({ ref }) => spool.read<EndpointResult>(ref)),
      findings: spooledList(findings, (entry) => spool.read<Finding>(entry)),
      ...(outcome.posture ? { posture: outcome.posture } : {}),
    };
    return { result, close: () => spool.close() };
  } catch (error) {
    spool.close();
    throw error;
  }
}

/**
 * A finished run as a {@link ScanResult} holding only the findings `keep` accepts (most severe
 * first, as `vigie scan` lists them) and no endpoints: what the alerts of a scheduled scan read,
 * without the whole run.
 */
export async function runWithFindings(
  store: Store,
  outcome: FinishOutcome,
  catalogue: Catalogue,
  lang: Lang,
  keep: (r: FindingRecord) => boolean,
): Promise<ScanResult> {
  const findings: Finding[] = [];
  await eachRunPage(
    (after, limit) => store.runs.findingsPage(outcome.run.id, after, limit),
    (page) => {
      for (const r of page) if (keep(r)) findings.push(recordFinding(r, catalogue, lang));
    },
  );
  return {
    run: outcome.run,
    summary: outcome.summary,
    endpoints: [],
    findings: findings.sort(compareFindings),
    ...(outcome.posture ? { posture: outcome.posture } : {}),
  };
}
