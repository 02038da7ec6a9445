import type { X509Certificate } from 'node:crypto';
import pLimit from 'p-limit';
import type { Endpoint, EndpointResult, ErrorReason, RawFinding, TlsObservation } from '../domain/index.js';
import { tlsProbe } from '../probes/index.js';
import type { Check, CheckContext } from './check.js';
import { tlsChecks } from './checks/tls-checks.js';
import type { PlannedEndpoint } from './plan.js';

export interface EngineOptions {
  timeoutMs: number;
  concurrency: number;
  trustAnchors: readonly X509Certificate[];
  now: () => Date;
  expiryDays: number;
  onEndpointDone?: (done: number, total: number, endpoint: Endpoint) => void;
}

export interface EngineResult {
  endpoints: EndpointResult[];
  findings: RawFinding[];
}

/** Every check ID the engine can emit, for catalogue validation. */
export const BUILTIN_CHECK_IDS: readonly string[] = [
  ...tlsChecks.map((c) => c.id),
  'scan.timeout',
  'scan.error',
];

function evaluateAll<O>(
  checks: readonly Check<O>[],
  obs: O,
  ctx: CheckContext,
  into: EngineResult,
  result: EndpointResult,
) {
  const { endpoint } = ctx;
  for (const check of checks) {
    let verdict;
    try {
      verdict = check.evaluate(obs, ctx);
    } catch (error) {
      verdict = { status: 'error' as const, detail: `erreur interne du contrôle : ${String(error)}` };
    }
    result.checks[check.id] = verdict.status;
    if (verdict.status !== 'fail') continue;
    for (const f of verdict.findings) {
      into.findings.push({
        checkId: check.id,
        host: endpoint.host,
        port: endpoint.port,
        ...(endpoint.assetId ? { assetId: endpoint.assetId } : {}),
        ...(f.key === undefined ? {} : { key: f.key }),
        ...(f.severity === undefined ? {} : { severity: f.severity }),
        params: f.params,
      });
    }
  }
}

function summarise(obs: TlsObservation): NonNullable<EndpointResult['tls']> {
  const protocols = Object.entries(obs.protocols)
    .filter(([v, r]) => r.kind === 'accepted' && r.version === v)
    .map(([v]) => v);
  const leaf = obs.certificate.status === 'observed' ? obs.certificate.value.chain[0] : undefined;
  return {
    protocols,
    ...(leaf ? { certificate: { subject: leaf.subject, issuer: leaf.issuer, notAfter: leaf.notAfter } } : {}),
  };
}

async function assess(
  planned: PlannedEndpoint,
  opts: EngineOptions,
  into: EngineResult,
): Promise<EndpointResult> {
  const { endpoint } = planned;
  const result: EndpointResult = {
    host: endpoint.host,
    port: endpoint.port,
    ...(endpoint.address ? { address: endpoint.address } : {}),
    ...(endpoint.assetId ? { assetId: endpoint.assetId } : {}),
    status: 'assessed',
    checks: {},
  };
  const ctx: CheckContext = { now: opts.now(), expiryDays: opts.expiryDays, endpoint };
  if (planned.categories.includes('tls')) {
    const obs = await tlsProbe(endpoint, { timeoutMs: opts.timeoutMs, trustAnchors: opts.trustAnchors });
    if (obs.status === 'observed') {
      evaluateAll(tlsChecks, obs.value, ctx, into, result);
      result.tls = summarise(obs.value);
      // Assessed: earlier scan-health findings on this endpoint can close.
      result.checks['scan.timeout'] = 'pass';
      result.checks['scan.error'] = 'pass';
    } else if (obs.status === 'error') {
      markUnassessed(result, obs.reason, obs.detail, into);
    }
  }
  return result;
}

/** The endpoint could not be assessed: one scan-health finding, and no check is a pass. */
function markUnassessed(result: EndpointResult, reason: ErrorReason, detail: string, into: EngineResult) {
  const checkId = reason === 'timeout' ? 'scan.timeout' : 'scan.error';
  result.status = reason === 'timeout' ? 'timeout' : 'error';
  result.reason = reason;
  result.detail = detail;
  for (const c of tlsChecks) result.checks[c.id] = 'error';
  result.checks[checkId] = 'fail';
  into.findings.push({
    checkId,
    host: result.host,
    port: result.port,
    ...(result.assetId ? { assetId: result.assetId } : {}),
    params: { reason, detail },
  });
}

/** Runs every planned endpoint under the concurrency limit; one endpoint's failure never stops the others. */
export async function runScan(plan: readonly PlannedEndpoint[], opts: EngineOptions): Promise<EngineResult> {
  const into: EngineResult = { endpoints: [], findings: [] };
  const limit = pLimit(Math.max(1, opts.concurrency));
  let done = 0;
  const results = await Promise.all(
    plan.map((planned) =>
      limit(async () => {
        let r: EndpointResult;
        try {
          r = await assess(planned, opts, into);
        } catch (error) {
          r = { host: planned.endpoint.host, port: planned.endpoint.port, status: 'error', checks: {} };
          markUnassessed(r, 'internal', error instanceof Error ? error.message : String(error), into);
        }
        done += 1;
        opts.onEndpointDone?.(done, plan.length, planned.endpoint);
        return r;
      }),
    ),
  );
  into.endpoints = results;
  return into;
}
