import type { X509Certificate } from 'node:crypto';
import pLimit, { type LimitFunction } from 'p-limit';
import type {
  Category,
  CustomCheck,
  DnsServerAddress,
  DomainTarget,
  Endpoint,
  EndpointResult,
  ErrorReason,
  FamilyFailure,
  Outcome,
  ProbeFamily,
  RawFinding,
  ServiceCatalogue,
  TlsObservation,
} from '../domain/index.js';
import { endpointKey, headerValues, notEvaluatedGrade, parseHsts } from '../domain/index.js';
import { gradeHttp, gradeTls, HTTP_SCORING_VERSION, TLS_SCORING_VERSION } from '../grading/index.js';
import type { Lang } from '../i18n/index.js';
import { httpGet, httpProbe } from '../probes/http/index.js';
import { resolveHost, tlsProbe } from '../probes/index.js';
import { serviceProbe, tcpExchange } from '../probes/services/index.js';
import { smtpProbe } from '../probes/tls/index.js';
import type { Check, CheckContext, CheckVerdict } from './check.js';
import { matchHttp, matchTcp } from '../domain/custom-matchers.js';
import { httpChecks } from './checks/http-checks.js';
import { domainChecks, MAIL_ENDPOINT_CHECK_IDS } from './checks/dns-checks.js';
import { evaluateService, SERVICE_CHECK_IDS } from './checks/service-checks.js';
import { tlsChecks } from './checks/tls-checks.js';
import type { PlannedEndpoint } from './plan.js';
import { assessDomains, DOMAIN_PORT } from './run-domains.js';

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
  /** Endpoints of one host assessed at once (politeness; each may open a few connections). */
  perHostConcurrency?: number;
  onEndpointDone?: (done: number, total: number, endpoint: Endpoint) => void;
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

/** Check IDs raised by code (the TLS and HTTP checks, scan health); service and custom IDs come from data. */
export const BUILTIN_CHECK_IDS: readonly string[] = [
  ...tlsChecks.map((c) => c.id),
  ...httpChecks.map((c) => c.id),
  ...SERVICE_CHECK_IDS,
  ...domainChecks.map((c) => c.id),
  ...MAIL_ENDPOINT_CHECK_IDS,
  'scan.timeout',
  'scan.error',
];

/** Errors meaning "nothing listens here", as opposed to "something answered badly". */
const CLOSED: readonly ErrorReason[] = ['refused'];

/** The part of the posture index each probe family observes (custom checks: by their kind). */
const FAMILY_POSTURE: Readonly<Record<Exclude<ProbeFamily, 'custom'>, Category>> = {
  tls: 'tls',
  http: 'http',
  services: 'services',
  mail: 'dns',
};

const customPosture = (check: CustomCheck): Category => (check.kind === 'http' ? 'http' : 'services');

class EndpointRun {
  readonly result: EndpointResult;
  private assessedAny = false;
  private readonly failures: FamilyFailure[] = [];
  private closedProbes = 0;
  private probes = 0;

  constructor(
    readonly planned: PlannedEndpoint,
    private readonly into: EngineResult,
    readonly ctx: CheckContext,
  ) {
    const e = planned.endpoint;
    this.result = {
      host: e.host,
      port: e.port,
      ...(e.address ? { address: e.address } : {}),
      ...(e.assetId ? { assetId: e.assetId } : {}),
      status: 'assessed',
      checks: {},
    };
  }

  emit(checkId: string, verdict: CheckVerdict): void {
    this.result.checks[checkId] = verdict.status;
    if (verdict.status !== 'fail') return;
    const e = this.planned.endpoint;
    for (const f of verdict.findings) {
      this.into.findings.push({
        checkId,
        host: e.host,
        port: e.port,
        ...(e.assetId ? { assetId: e.assetId } : {}),
        ...(f.key === undefined ? {} : { key: f.key }),
        ...(f.severity === undefined ? {} : { severity: f.severity }),
        params: f.params,
      });
    }
  }

  evaluate<O>(checks: readonly Check<O>[], obs: O): void {
    for (const check of checks) {
      let verdict: CheckVerdict;
      try {
        verdict = check.evaluate(obs, this.ctx);
      } catch (error) {
        verdict = { status: 'error', detail: `erreur interne du contrôle : ${String(error)}` };
      }
      this.emit(check.id, verdict);
    }
  }

  /** Records a probe's outcome; returns the observation when there is one. */
  outcome<T>(
    family: Exclude<ProbeFamily, 'custom'>,
    checkIds: readonly string[],
    o: Outcome<T>,
  ): T | undefined {
    this.probes += 1;
    if (o.status === 'observed') {
      this.assessedAny = true;
      return o.value;
    }
    if (o.status === 'skipped') {
      for (const id of checkIds) this.result.checks[id] = 'skipped';
      return undefined;
    }
    if (CLOSED.includes(o.reason)) this.closedProbes += 1;
    this.failed(family, FAMILY_POSTURE[family], o.reason, o.detail);
    for (const id of checkIds) this.result.checks[id] = 'error';
    return undefined;
  }

  /**
   * A probe family could not make its observation (or a part it needs, such as the certificate):
   * its checks say `error`, and `finish` turns the failure into a `scan.error` keyed by the family.
   */
  failed(family: ProbeFamily, postureCategory: Category, reason: ErrorReason, detail: string): void {
    this.failures.push({ category: family, postureCategory, reason, detail });
  }

  /** A custom check that could not tell: `error`, and a failure of the `custom` family. */
  customFailed(check: CustomCheck, reason: ErrorReason, detail: string): void {
    this.emit(check.id, { status: 'error', detail: `${reason}: ${detail}` });
    this.failed('custom', customPosture(check), reason, `${check.id} : ${detail}`);
  }

  observedServiceState(closed: boolean): void {
    this.probes += 1;
    this.assessedAny = true;
    if (closed) this.closedProbes += 1;
  }

  /** Settles the endpoint: assessed, closed (a default port nobody listens on), or not assessed. */
  finish(): EndpointResult {
    const r = this.result;
    const implicit = this.planned.endpoint.implicit === true;
    if (this.probes > 0 && this.closedProbes === this.probes && implicit) {
      // Nothing listens on a port we chose to try: an observation, not a failure.
      r.closed = true;
      for (const f of this.failures) this.markSkipped(f.category);
      return r;
    }
    this.gradeFailedFamilies();
    if (!this.assessedAny && this.failures.length > 0) {
      const first = this.failures.find((f) => f.reason === 'timeout') ?? this.failures[0]!;
      const checkId = first.reason === 'timeout' ? 'scan.timeout' : 'scan.error';
      r.status = first.reason === 'timeout' ? 'timeout' : 'error';
      r.reason = first.reason;
      r.detail = first.detail;
      this.emit(checkId, {
        status: 'fail',
        findings: [{ params: { reason: first.reason, detail: first.detail } }],
      });
      return r;
    }
    // Assessed: earlier scan-health findings on this endpoint can close, except those of the
    // families that failed again (one `scan.error` per family, keyed by it: a stable fingerprint).
    r.checks['scan.timeout'] = 'pass';
    if (this.failures.length === 0) {
      r.checks['scan.error'] = 'pass';
      return r;
    }
    r.errors = this.failures;
    const byFamily = new Map<string, FamilyFailure[]>();
    for (const f of this.failures) byFamily.set(f.category, [...(byFamily.get(f.category) ?? []), f]);
    this.emit('scan.error', {
      status: 'fail',
      findings: [...byFamily].map(([family, list]) => {
        const first = list[0]!;
        const more = list.length > 1 ? ` (+${list.length - 1})` : '';
        return { key: family, params: { family, reason: first.reason, detail: `${first.detail}${more}` } };
      }),
    });
    return r;
  }

  /** The grade of a family that failed is « not evaluated », never a letter. */
  private gradeFailedFamilies(): void {
    const r = this.result;
    const tls = this.failures.find((f) => f.category === 'tls');
    if (tls) {
      r.tls = {
        protocols: r.tls?.protocols ?? [],
        ...(r.tls?.certificate ? { certificate: r.tls.certificate } : {}),
        grade: notEvaluatedGrade(tls.reason, tls.detail, TLS_SCORING_VERSION),
      };
    }
    const http = this.failures.find((f) => f.category === 'http');
    const planned = this.planned.http;
    if (http && planned?.scheme === 'https') {
      r.http = {
        url: `https://${endpointKey(this.planned.endpoint)}${planned.path}`,
        grade: notEvaluatedGrade(http.reason, http.detail, HTTP_SCORING_VERSION),
      };
    }
  }

  private markSkipped(category: string): void {
    const ids =
      category === 'tls'
        ? tlsChecks.map((c) => c.id)
        : category === 'http'
          ? httpChecks.map((c) => c.id)
          : [];
    for (const id of ids) this.result.checks[id] = 'skipped';
  }
}

function summariseTls(obs: TlsObservation): NonNullable<EndpointResult['tls']> {
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
  const run = new EndpointRun(planned, into, { now: opts.now(), expiryDays: opts.expiryDays, endpoint });
  const target = {
    host: endpoint.host,
    port: endpoint.port,
    ...(endpoint.address ? { address: endpoint.address } : {}),
  };
  const tlsIds = tlsChecks.map((c) => c.id);

  let tlsObs: TlsObservation | undefined;
  let tls = planned.tls;
  if (planned.smtp) {
    const smtp = run.outcome(
      'mail',
      MAIL_ENDPOINT_CHECK_IDS,
      await smtpProbe(target, { timeoutMs: opts.timeoutMs }),
    );
    if (smtp) {
      run.result.smtp = { banner: smtp.banner, starttls: smtp.starttls };
      run.emit(
        'mail.starttls.missing',
        smtp.starttls
          ? { status: 'pass' }
          : {
              status: 'fail',
              findings: [
                { params: { host: endpoint.host, port: endpoint.port, banner: smtp.banner || '—' } },
              ],
            },
      );
      tls = smtp.starttls;
      if (!smtp.starttls) for (const id of tlsIds) run.result.checks[id] = 'skipped';
    } else {
      // The TLS checks of an MX go through its SMTP session: without it, they could not tell.
      for (const id of tlsIds) run.result.checks[id] = 'error';
    }
  }
  if (tls) {
    const obs = (tlsObs = run.outcome(
      'tls',
      tlsIds,
      await tlsProbe(endpoint, { timeoutMs: opts.timeoutMs, trustAnchors: opts.trustAnchors }),
    ));
    if (obs) {
      run.evaluate(tlsChecks, obs);
      run.result.tls = summariseTls(obs);
      // Protocols were seen, but not the certificate: trust, name, expiry and key are not evaluated.
      if (obs.certificate.status === 'error') {
        run.failed('tls', 'tls', obs.certificate.reason, `certificat : ${obs.certificate.detail}`);
      }
    }
  }

  let hstsMaxAge: number | undefined;
  if (planned.http) {
    const { scheme, path } = planned.http;
    const obs = run.outcome(
      'http',
      httpChecks.map((c) => c.id),
      await httpProbe(target, { scheme, path, timeoutMs: opts.timeoutMs }),
    );
    if (obs) {
      run.evaluate(httpChecks, obs);
      const page = obs.chain[obs.chain.length - 1];
      if (page && scheme === 'https') {
        // For the A+ of the TLS grade: 0 when the page answered without valid HSTS.
        const hsts = parseHsts(headerValues(page, 'strict-transport-security'));
        hstsMaxAge = hsts?.valid ? hsts.maxAge : 0;
      }
      if (page) {
        run.result.http = {
          url: page.url,
          status: page.status,
          ...(scheme === 'https' ? { grade: gradeHttp(obs, opts.lang ? { lang: opts.lang } : {}) } : {}),
        };
      }
      for (const check of planned.customHttp) {
        if (check.kind !== 'http') continue;
        const response = await httpGet(target, { scheme, path: check.http.path, timeoutMs: opts.timeoutMs });
        if (response.status === 'error') {
          run.customFailed(check, response.reason, response.detail);
          continue;
        }
        if (response.status === 'skipped') {
          run.emit(check.id, { status: 'skipped', because: response.because });
          continue;
        }
        const m = matchHttp(check.http, response.value);
        run.emit(
          check.id,
          m.matched ? { status: 'fail', findings: [{ params: m.evidence }] } : { status: 'pass' },
        );
      }
    } else {
      // The custom HTTP checks need the web server the HTTP probe could not reach.
      for (const check of planned.customHttp) {
        run.emit(check.id, { status: 'error', detail: 'sonde HTTP en échec sur ce point d’accès' });
      }
    }
  }

  if (tlsObs && run.result.tls) {
    run.result.tls.grade = gradeTls(tlsObs, {
      now: run.ctx.now,
      ...(hstsMaxAge === undefined ? {} : { hstsMaxAge }),
    });
  }

  if (planned.service) {
    const obs = await serviceProbe(target, planned.service.entry, {
      timeoutMs: opts.timeoutMs,
      connectTimeoutMs: Math.min(opts.timeoutMs, 2000),
    });
    if (obs.failure) {
      const ids = planned.service.entry ? [`service.exposed.${planned.service.entry.name}`] : [];
      run.outcome('services', ids, { status: 'error', ...obs.failure });
    } else {
      run.observedServiceState(obs.state !== 'open');
      const evaluation = evaluateService(obs, {
        expose: endpoint.expose ?? [],
        ...(opts.services ? { catalogue: opts.services } : {}),
        ...(planned.service.entry ? { entry: planned.service.entry } : {}),
      });
      Object.assign(run.result.checks, evaluation.checks);
      for (const f of evaluation.findings) {
        run.emit(f.checkId, {
          status: 'fail',
          findings: [
            {
              params: f.params,
              ...(f.key === undefined ? {} : { key: f.key }),
              ...(f.severity ? { severity: f.severity } : {}),
            },
          ],
        });
      }
      run.result.service = {
        state: obs.state,
        transport: obs.transport,
        ...(obs.service ? { service: obs.service } : {}),
        ...(obs.version ? { version: obs.version } : {}),
        ...(obs.banner ? { banner: obs.banner } : {}),
      };
    }
  }

  for (const check of planned.customTcp) {
    if (check.kind !== 'tcp') continue;
    const o = await tcpExchange(target, {
      timeoutMs: Math.min(opts.timeoutMs, 3000),
      ...(check.tcp.send === undefined ? {} : { send: Buffer.from(check.tcp.send, 'latin1') }),
    });
    if (o.status === 'skipped') {
      run.emit(check.id, { status: 'skipped', because: o.because });
      continue;
    }
    if (o.status === 'error') {
      // A closed port cannot match: the check passes there.
      if (CLOSED.includes(o.reason)) run.emit(check.id, { status: 'pass' });
      else run.customFailed(check, o.reason, o.detail);
      continue;
    }
    const m = matchTcp(check.tcp, o.value.received.toString('latin1'));
    run.emit(
      check.id,
      m.matched ? { status: 'fail', findings: [{ params: m.evidence }] } : { status: 'pass' },
    );
  }

  return run.finish();
}

/** Resolves each host without a pinned address once, a few at a time. */
async function resolveAll(
  plan: readonly PlannedEndpoint[],
  opts: EngineOptions,
): Promise<Map<string, Outcome<string>>> {
  const hosts = [...new Set(plan.filter((p) => !p.endpoint.address).map((p) => p.endpoint.host))];
  const limit = pLimit(8);
  const outcomes = await Promise.all(
    hosts.map((h) => limit(() => (opts.resolve ?? resolveHost)(h, opts.timeoutMs))),
  );
  return new Map(hosts.map((h, i) => [h, outcomes[i]!]));
}

/**
 * An endpoint whose host name does not resolve: not assessed. The scan-health finding is raised on
 * every port the user named, but only once for the ports tried by default, which would repeat it.
 */
function unresolved(planned: PlannedEndpoint, detail: string, into: EngineResult): EndpointResult {
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
  const already = into.findings.some(
    (f) => f.checkId === 'scan.error' && f.host === e.host && f.params['reason'] === 'dns',
  );
  if (!e.implicit || !already) {
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

/**
 * Runs every planned endpoint under the global and per-host concurrency limits; one endpoint's
 * failure never stops the others, and a probe that could not tell never counts as a pass.
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
  plan = [...plan, ...mxPlan];
  const resolved = await resolveAll(plan, opts);
  const limit = pLimit(Math.max(1, opts.concurrency));
  const perHost = new Map<string, LimitFunction>();
  const hostLimit = (host: string) => {
    let l = perHost.get(host);
    if (!l) {
      l = pLimit(opts.perHostConcurrency ?? 8);
      perHost.set(host, l);
    }
    return l;
  };
  const endpointResults = await Promise.all(
    plan.map((planned) =>
      hostLimit(planned.endpoint.address ?? planned.endpoint.host)(() =>
        limit(async () => {
          let r: EndpointResult;
          try {
            const address = resolved.get(planned.endpoint.host);
            r =
              address?.status === 'error'
                ? unresolved(planned, address.detail, into)
                : await assess(
                    address?.status === 'observed'
                      ? { ...planned, endpoint: { ...planned.endpoint, address: address.value } }
                      : planned,
                    opts,
                    into,
                  );
          } catch (error) {
            r = {
              host: planned.endpoint.host,
              port: planned.endpoint.port,
              status: 'error',
              reason: 'internal',
              checks: {},
            };
            r.detail = error instanceof Error ? error.message : String(error);
            into.findings.push({
              checkId: 'scan.error',
              host: r.host,
              port: r.port,
              params: { reason: 'internal', detail: r.detail },
            });
          }
          done += 1;
          opts.onEndpointDone?.(done, total, planned.endpoint);
          return r;
        }),
      ),
    ),
  );
  into.endpoints = [...domainResults, ...endpointResults];
  return into;
}
