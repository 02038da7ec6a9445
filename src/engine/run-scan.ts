import type { X509Certificate } from 'node:crypto';
import type {
  ConnectionGate,
  DnsServerAddress,
  DomainTarget,
  Endpoint,
  EndpointResult,
  Outcome,
  RawFinding,
  ServiceCatalogue,
  TlsProfile,
} from '../domain/index.js';
import type { Lang } from '../i18n/index.js';
import { resolveHost } from '../probes/index.js';
import { judgeEndpoint } from './judge-endpoint.js';
import { observeEndpoint, type EndpointObservations, type TlsEnumerationMode } from './observe-endpoint.js';
import type { PlannedEndpoint } from './plan.js';
import { assessDomains, DOMAIN_PORT } from './run-domains.js';
import { runPool } from './run-pool.js';

export interface EngineOptions {
  timeoutMs: number;
  concurrency: number;
  trustAnchors: readonly X509Certificate[];
  /** The risky-service catalogue: labels and aliases of services found on another service's port. */
  services?: ServiceCatalogue;
  now: () => Date;
  expiryDays: number;
  /** Language of the notes of the HTTP grade; French by default. */
  lang?: Lang;
  /** Name resolution; the system resolver by default (tests inject their own: they never query DNS). */
  resolve?: (host: string, timeoutMs: number) => Promise<Outcome<string>>;
  /** Only for the demo estate and the tests: where plain HTTP of a host listens, instead of 80. */
  plainHttpPort?: number;
  /** Endpoints of one host assessed at once (politeness; each may open a few connections). */
  perHostConcurrency?: number;
  /** An endpoint's observation starts (never more than `concurrency` started and not done). */
  onEndpointStart?: (endpoint: Endpoint) => void;
  onEndpointDone?: (done: number, total: number, endpoint: Endpoint) => void;
  /**
   * Streams the results: each host's endpoints as soon as the last of them is judged (the domains'
   * results first, in one batch), with their findings. When given, the engine keeps nothing: what it
   * observed is dropped once judged and the returned result is empty, so memory does not grow with
   * the number of endpoints.
   */
  onResults?: (endpoints: EndpointResult[], findings: RawFinding[]) => void;
  /** Taken before each connection to an endpoint (a fleet's limits); see `ObserveOptions.gate`. */
  gate?: ConnectionGate;
  /** The TLS policy profiles each endpoint is checked against (none by default). */
  tlsProfiles?: (endpoint: Endpoint) => readonly TlsProfile[];
  /** Where the TLS enumeration runs: every TLS endpoint, profiled ones (`profiles`, the default), or none. */
  tlsEnumeration?: TlsEnumerationMode;
  /** Domains for the DNS and mail checks, and how to reach their records and MX hosts. */
  domains?: {
    targets: readonly DomainTarget[];
    resolver: DnsServerAddress;
    validating: boolean;
    /** Only for the demo estate and the tests: MX and MTA-STS servers on other ports than 25 and 443. */
    smtpPort?: number;
    mtaStsPort?: number;
  };
}

export interface EngineResult {
  endpoints: EndpointResult[];
  findings: RawFinding[];
}

/** Resolves each host without a pinned address once, a few at a time. */
async function resolveAll(
  plan: readonly PlannedEndpoint[],
  opts: EngineOptions,
): Promise<Map<string, Outcome<string>>> {
  const hosts = new Set(plan.filter((p) => !p.endpoint.address).map((p) => p.endpoint.host));
  const outcomes = new Map<string, Outcome<string>>();
  await runPool(hosts, { size: 8 }, async (h) => {
    outcomes.set(h, await (opts.resolve ?? resolveHost)(h, opts.timeoutMs));
  });
  return outcomes;
}

/**
 * An endpoint whose host name does not resolve: not assessed. The scan-health finding is raised on
 * every port the user named, but only once for the ports tried by default, which would repeat it.
 */
function unresolved(
  planned: PlannedEndpoint,
  detail: string,
  into: EngineResult,
  dnsReported: Set<string>,
): EndpointResult {
  const e = planned.endpoint;
  const r: EndpointResult = {
    host: e.host,
    port: e.port,
    ...(e.assetId ? { assetId: e.assetId } : {}),
    status: 'error',
    reason: 'dns',
    detail,
    checks: {},
  };
  const already = dnsReported.has(e.host);
  if (!e.implicit || !already) {
    dnsReported.add(e.host);
    into.findings.push({
      checkId: 'scan.error',
      host: e.host,
      port: e.port,
      ...(e.assetId ? { assetId: e.assetId } : {}),
      params: { reason: 'dns', detail },
    });
    r.checks['scan.error'] = 'fail';
  }
  return r;
}

/** An endpoint whose assessment threw: not assessed, a `scan.error` says so. */
function internalError(planned: PlannedEndpoint, error: unknown, into: EngineResult): EndpointResult {
  const detail = error instanceof Error ? error.message : String(error);
  into.findings.push({
    checkId: 'scan.error',
    host: planned.endpoint.host,
    port: planned.endpoint.port,
    params: { reason: 'internal', detail },
  });
  return {
    host: planned.endpoint.host,
    port: planned.endpoint.port,
    status: 'error',
    reason: 'internal',
    checks: {},
    detail,
  };
}

/**
 * Observes every planned endpoint under the global and per-host concurrency limits; one endpoint's
 * failure never stops the others, and a probe that could not tell never counts as a pass. Then judges
 * them all: the checks and grades are pure functions of what was observed.
 */
export async function runScan(
  initialPlan: readonly PlannedEndpoint[],
  opts: EngineOptions,
): Promise<EngineResult> {
  let plan = initialPlan;
  const into: EngineResult = { endpoints: [], findings: [] };
  const targets = opts.domains?.targets ?? [];
  let done = 0;
  let total = plan.length + targets.length;
  let mxPlan: PlannedEndpoint[] = [];
  if (opts.domains && targets.length > 0) {
    const { resolver, validating, smtpPort, mtaStsPort } = opts.domains;
    mxPlan = await assessDomains(
      targets,
      {
        resolver,
        validating,
        timeoutMs: opts.timeoutMs,
        trustAnchors: opts.trustAnchors,
        concurrency: Math.max(1, Math.min(opts.concurrency, 8)),
        ...(smtpPort === undefined ? {} : { smtpPort }),
        ...(mtaStsPort === undefined ? {} : { mtaStsPort }),
        onDomainDone: (domain) => {
          done += 1;
          opts.onEndpointDone?.(done, total, { host: domain, port: DOMAIN_PORT });
        },
      },
      into,
    );
    // An MX the inventory already lists on that port keeps its own probes and gains the mail ones.
    const byKey = new Map(plan.map((p, i) => [`${p.endpoint.host.toLowerCase()}|${p.endpoint.port}`, i]));
    const merged = [...plan];
    mxPlan = mxPlan.filter((mxp) => {
      const i = byKey.get(`${mxp.endpoint.host}|${mxp.endpoint.port}`);
      if (i === undefined) return true;
      const existing = merged[i]!;
      merged[i] = {
        ...existing,
        tls: false,
        smtp: true,
        endpoint: { ...existing.endpoint, starttls: 'smtp' },
      };
      return false;
    });
    plan = merged;
    total += mxPlan.length;
  }
  const domainResults = into.endpoints;
  if (opts.onResults) {
    opts.onResults(domainResults, into.findings);
    into.endpoints = [];
    into.findings = [];
  }
  plan = [...plan, ...mxPlan];
  const resolved = await resolveAll(plan, opts);
  const judge = {
    now: opts.now(),
    expiryDays: opts.expiryDays,
    ...(opts.services ? { services: opts.services } : {}),
    ...(opts.lang ? { lang: opts.lang } : {}),
    ...(opts.plainHttpPort === undefined ? {} : { plainHttpPort: opts.plainHttpPort }),
    ...(opts.tlsProfiles ? { tlsProfiles: opts.tlsProfiles } : {}),
  };
  // Each endpoint is judged with its host's other observations at hand: a host is judged as soon as
  // the last of its endpoints is observed, and what was observed is then dropped.
  type Observed = { obs: EndpointObservations } | { result: EndpointResult; findings: RawFinding[] };
  const hostOf = (p: PlannedEndpoint) => p.endpoint.host.toLowerCase();
  const byHost = new Map<string, number[]>();
  plan.forEach((p, i) => {
    const list = byHost.get(hostOf(p));
    if (list) list.push(i);
    else byHost.set(hostOf(p), [i]);
  });
  const pending = new Map([...byHost].map(([h, list]) => [h, list.length]));
  const slots: (Observed | undefined)[] = new Array<Observed | undefined>(plan.length);
  const results: EndpointResult[] = [];
  const findingsAt: RawFinding[][] = [];
  const dnsReported = new Set<string>();
  const judgeHost = (host: string) => {
    const indexes = byHost.get(host) ?? [];
    const observations = indexes.flatMap((i) => {
      const slot = slots[i];
      return slot && 'obs' in slot ? [slot.obs] : [];
    });
    const batch: EndpointResult[] = [];
    const batchFindings: RawFinding[] = [];
    for (const i of indexes) {
      const slot = slots[i]!;
      const sink: EngineResult = { endpoints: [], findings: [] };
      let result: EndpointResult;
      if ('obs' in slot) {
        try {
          result = judgeEndpoint(slot.obs, observations, judge, sink);
        } catch (error) {
          sink.findings = [];
          result = internalError(slot.obs.planned, error, sink);
        }
      } else {
        result = slot.result;
        sink.findings = slot.findings;
      }
      slots[i] = undefined;
      if (opts.onResults) {
        batch.push(result);
        batchFindings.push(...sink.findings);
      } else {
        results[i] = result;
        findingsAt[i] = sink.findings;
      }
    }
    byHost.delete(host);
    if (opts.onResults) opts.onResults(batch, batchFindings);
  };
  // A fixed pool of runners pulls the plan's endpoints one after another (at most `concurrency` in
  // flight, `perHostConcurrency` per address): nothing is queued per endpoint up front.
  await runPool(
    plan.keys(),
    {
      size: opts.concurrency,
      perKey: opts.perHostConcurrency ?? 8,
      keyOf: (index) => plan[index]!.endpoint.address ?? plan[index]!.endpoint.host,
    },
    async (index): Promise<void> => {
      const planned = plan[index]!;
      opts.onEndpointStart?.(planned.endpoint);
      let o: Observed;
      const sink: EngineResult = { endpoints: [], findings: [] };
      try {
        const address = resolved.get(planned.endpoint.host);
        o =
          address?.status === 'error'
            ? {
                result: unresolved(planned, address.detail, sink, dnsReported),
                findings: sink.findings,
              }
            : {
                obs: await observeEndpoint(
                  address?.status === 'observed'
                    ? { ...planned, endpoint: { ...planned.endpoint, address: address.value } }
                    : planned,
                  opts,
                ),
              };
      } catch (error) {
        sink.findings = [];
        o = { result: internalError(planned, error, sink), findings: sink.findings };
      }
      slots[index] = o;
      done += 1;
      opts.onEndpointDone?.(done, total, planned.endpoint);
      const host = hostOf(planned);
      const left = (pending.get(host) ?? 1) - 1;
      if (left === 0) {
        pending.delete(host);
        judgeHost(host);
      } else pending.set(host, left);
    },
  );
  if (opts.onResults) return into;
  into.endpoints = [...domainResults, ...results];
  into.findings = [...into.findings, ...findingsAt.flat()];
  return into;
}
