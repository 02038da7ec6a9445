import {
  endpointKey,
  headerValues,
  notEvaluatedGrade,
  parseHsts,
  type Category,
  type CustomCheck,
  type EndpointResult,
  type ErrorReason,
  type FamilyFailure,
  type HttpObservation,
  type Outcome,
  type ProbeFamily,
  type ServiceCatalogue,
  type Endpoint,
  type TlsObservation,
  type TlsProfile,
} from '../domain/index.js';
import {
  describeViolations,
  evaluateTlsProfile,
  gradeHttp,
  gradeTls,
  HTTP_SCORING_VERSION,
  tlsProfileObservation,
  TLS_SCORING_VERSION,
  unobservedTlsProfileObservation,
} from '../grading/index.js';
import { t, type Lang } from '../i18n/index.js';
import { runChecks, type CheckContext, type CheckVerdict } from './check.js';
import { customFailure } from './checks/custom-checks.js';
import { serviceChecks, type ServiceCheckContext } from './checks/service-checks.js';
import type { EndpointObservations } from './observe-endpoint.js';
import { customPlugin, httpPlugin, servicesPlugin, smtpPlugin, tlsPlugin } from './plugins.js';
import type { EngineResult } from './run-scan.js';

/** The port where plain HTTP of a host is observed (the Observatory's redirection test reads it). */
export const PLAIN_HTTP_PORT = 80;
/** The finding of an endpoint that fails a TLS policy profile (one per profile, keyed by it). */
export const PROFILE_CHECK_ID = 'tls.profile.nonconformant';

export interface JudgeOptions {
  now: Date;
  expiryDays: number;
  services?: ServiceCatalogue;
  /** Language of the notes of the HTTP grade; French by default. */
  lang?: Lang;
  /** Only for the demo estate and the tests: where plain HTTP of a host listens, instead of 80. */
  plainHttpPort?: number;
  /** The TLS policy profiles an endpoint is checked against (none by default). */
  tlsProfiles?: (endpoint: Endpoint) => readonly TlsProfile[];
}

/** Errors meaning "nothing listens here", as opposed to "something answered badly". */
const CLOSED: readonly ErrorReason[] = ['refused'];

/** The part of the posture index each probe family observes (custom checks: by their kind). */
const FAMILY_POSTURE: Readonly<Record<Exclude<ProbeFamily, 'custom'>, Category>> = {
  tls: tlsPlugin.posture,
  http: httpPlugin.posture,
  services: servicesPlugin.posture,
  mail: smtpPlugin.posture,
};

const customPosture = (check: CustomCheck): Category =>
  check.kind === 'http' ? 'http' : customPlugin.posture;

const TLS_IDS = tlsPlugin.checks({}).map((c) => c.id);
const HTTP_IDS = httpPlugin.checks({}).map((c) => c.id);
const SMTP_IDS = smtpPlugin.checks({}).map((c) => c.id);

class EndpointRun {
  readonly result: EndpointResult;
  private assessedAny = false;
  private readonly failures: FamilyFailure[] = [];
  private closedProbes = 0;
  private probes = 0;

  constructor(
    readonly obs: EndpointObservations,
    private readonly into: EngineResult,
    readonly ctx: CheckContext,
  ) {
    const e = obs.planned.endpoint;
    this.result = {
      host: e.host,
      port: e.port,
      ...(e.address ? { address: e.address } : {}),
      ...(e.assetId ? { assetId: e.assetId } : {}),
      status: 'assessed',
      checks: {},
    };
  }

  readonly emit = (checkId: string, verdict: CheckVerdict): void => {
    this.result.checks[checkId] = verdict.status;
    if (verdict.status !== 'fail') return;
    const e = this.obs.planned.endpoint;
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
  };

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

  observedServiceState(closed: boolean): void {
    this.probes += 1;
    this.assessedAny = true;
    if (closed) this.closedProbes += 1;
  }

  /** Settles the endpoint: assessed, closed (a default port nobody listens on), or not assessed. */
  finish(): EndpointResult {
    const r = this.result;
    const implicit = this.obs.planned.endpoint.implicit === true;
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
        ...r.tls,
        protocols: r.tls?.protocols ?? [],
        grade: notEvaluatedGrade(tls.reason, tls.detail, TLS_SCORING_VERSION),
      };
    }
    const http = this.failures.find((f) => f.category === 'http');
    const planned = this.obs.planned.http;
    if (http && planned?.scheme === 'https') {
      r.http = {
        url: `https://${endpointKey(this.obs.planned.endpoint)}${planned.path}`,
        grade: notEvaluatedGrade(http.reason, http.detail, HTTP_SCORING_VERSION),
      };
    }
  }

  private markSkipped(category: string): void {
    const ids = category === 'tls' ? TLS_IDS : category === 'http' ? HTTP_IDS : [];
    for (const id of ids) this.result.checks[id] = 'skipped';
  }
}

function summariseTls(obs: TlsObservation): NonNullable<EndpointResult['tls']> {
  const protocols = Object.entries(obs.protocols)
    .filter(([v, r]) => r.kind === 'accepted' && r.version === v)
    .map(([v]) => v);
  const cert = obs.certificate.status === 'observed' ? obs.certificate.value : undefined;
  const leaf = cert?.chain[0];
  return {
    protocols,
    ...(leaf ? { certificate: { subject: leaf.subject, issuer: leaf.issuer, notAfter: leaf.notAfter } } : {}),
    ...(cert && leaf
      ? {
          certificateDetail: {
            keyType: leaf.keyType,
            keyBits: leaf.keyBits,
            notBefore: leaf.notBefore,
            signatureAlgorithm: leaf.signatureAlgorithm,
            chainLength: cert.chain.length,
            trust: cert.trust.status,
          },
        }
      : {}),
    ...(obs.enumeration ? { enumeration: obs.enumeration, postQuantum: obs.enumeration.postQuantum } : {}),
  };
}

/**
 * Each profile's verdict on the endpoint, and one `tls.profile.nonconformant` finding per profile
 * it fails (keyed by the profile). An endpoint whose TLS was not observed is never conformant.
 */
function judgeProfiles(
  run: EndpointRun,
  profiles: readonly TlsProfile[],
  tlsObs: TlsObservation | undefined,
  page: { web: boolean; hstsMaxAge?: number },
  lang: Lang,
): void {
  if (profiles.length === 0) return;
  const observation = tlsObs
    ? tlsProfileObservation(tlsObs, page)
    : unobservedTlsProfileObservation(page.web);
  const results = profiles.map((p) => evaluateTlsProfile(p, observation));
  const tls = (run.result.tls ??= { protocols: [] });
  tls.profiles = Object.fromEntries(results.map(({ profile, ...rest }) => [profile, rest]));
  const failing = results.filter((r) => r.conformant === false);
  run.emit(
    PROFILE_CHECK_ID,
    failing.length > 0
      ? {
          status: 'fail',
          findings: failing.map((r) => ({
            key: r.profile,
            params: {
              profile: `${r.profile}@${r.version}`,
              violations: describeViolations(r, lang),
            },
          })),
        }
      : results.some((r) => r.conformant === null)
        ? { status: 'error', detail: t(lang, 'texts2.tls-profile.not-evaluated') }
        : { status: 'pass' },
  );
}

/**
 * What plain HTTP on the same host answered, for the Observatory's redirection test of an HTTPS
 * endpoint: the observation of the host's port 80, when the scan made it (closed: an error outcome,
 * "no HTTP"); undefined when port 80 of that host was not scanned (the test is then not evaluated).
 */
export function plainHttpOf(
  host: readonly EndpointObservations[],
  port: number = PLAIN_HTTP_PORT,
): Outcome<HttpObservation> | undefined {
  return host.find((o) => o.planned.endpoint.port === port && o.planned.http?.scheme === 'http')?.http;
}

/**
 * Judges one endpoint from its observations and those of its host's other endpoints: every check
 * and grade, pure — nothing here opens a socket. Findings go to `into`; returns the endpoint's result.
 */
export function judgeEndpoint(
  obs: EndpointObservations,
  host: readonly EndpointObservations[],
  opts: JudgeOptions,
  into: EngineResult,
): EndpointResult {
  const { planned } = obs;
  const { endpoint } = planned;
  const ctx: CheckContext = {
    now: opts.now,
    expiryDays: opts.expiryDays,
    endpoint,
    ...(opts.services ? { services: opts.services } : {}),
  };
  const run = new EndpointRun(obs, into, ctx);

  if (obs.smtp) {
    const smtp = run.outcome('mail', SMTP_IDS, obs.smtp);
    if (smtp) {
      run.result.smtp = { banner: smtp.banner, starttls: smtp.starttls };
      runChecks(smtpPlugin.checks({}), smtp, ctx, run.emit);
      if (!smtp.starttls) for (const id of TLS_IDS) run.result.checks[id] = 'skipped';
    } else {
      // The TLS checks of an MX go through its SMTP session: without it, they could not tell.
      for (const id of TLS_IDS) run.result.checks[id] = 'error';
    }
  }

  let tlsObs: TlsObservation | undefined;
  if (obs.tls) {
    tlsObs = run.outcome('tls', TLS_IDS, obs.tls);
    if (tlsObs) {
      runChecks(tlsPlugin.checks({}), tlsObs, ctx, run.emit);
      run.result.tls = summariseTls(tlsObs);
      // Protocols were seen, but not the certificate: trust, name, expiry and key are not evaluated.
      if (tlsObs.certificate.status === 'error') {
        run.failed('tls', 'tls', tlsObs.certificate.reason, `certificat : ${tlsObs.certificate.detail}`);
      }
    }
  }

  let hstsMaxAge: number | undefined;
  const customHttp = planned.customHttp.filter((c) => c.kind === 'http');
  if (obs.http && planned.http) {
    const { scheme } = planned.http;
    const http = run.outcome('http', HTTP_IDS, obs.http);
    if (http) {
      runChecks(httpPlugin.checks({}), http, ctx, run.emit);
      const page = http.chain[http.chain.length - 1];
      if (page && scheme === 'https') {
        // For the A+ of the TLS grade: 0 when the page answered without valid HSTS.
        const hsts = parseHsts(headerValues(page, 'strict-transport-security'));
        hstsMaxAge = hsts?.valid ? hsts.maxAge : 0;
      }
      if (page) {
        const plainHttp = scheme === 'https' ? plainHttpOf(host, opts.plainHttpPort) : undefined;
        run.result.http = {
          url: page.url,
          status: page.status,
          ...(scheme === 'https'
            ? {
                grade: gradeHttp(http, {
                  ...(opts.lang ? { lang: opts.lang } : {}),
                  ...(plainHttp ? { plainHttp } : {}),
                }),
              }
            : {}),
        };
      }
    }
    judgeCustom(run, customHttp, obs);
  }

  if (tlsObs && run.result.tls) {
    run.result.tls.grade = gradeTls(tlsObs, {
      now: ctx.now,
      ...(opts.lang ? { lang: opts.lang } : {}),
      ...(hstsMaxAge === undefined ? {} : { hstsMaxAge }),
    });
  }
  if (obs.tls && opts.tlsProfiles) {
    const web = planned.http?.scheme === 'https';
    judgeProfiles(
      run,
      opts.tlsProfiles(endpoint),
      tlsObs,
      { web, ...(hstsMaxAge === undefined ? {} : { hstsMaxAge }) },
      opts.lang ?? 'fr',
    );
  }

  if (obs.service && planned.service) {
    const service = obs.service;
    const expected = planned.service.entry;
    if (service.failure) {
      const ids = expected ? [`service.exposed.${expected.name}`] : [];
      run.outcome('services', ids, { status: 'error', ...service.failure });
    } else {
      run.observedServiceState(service.state !== 'open');
      const serviceCtx: ServiceCheckContext = { ...ctx, ...(expected ? { expected } : {}) };
      runChecks(serviceChecks(opts.services, [expected, service.service]), service, serviceCtx, run.emit);
      run.result.service = {
        state: service.state,
        transport: service.transport,
        ...(service.service ? { service: service.service } : {}),
        ...(service.version ? { version: service.version } : {}),
        ...(service.banner ? { banner: service.banner } : {}),
      };
    }
  }

  judgeCustom(
    run,
    planned.customTcp.filter((c) => c.kind === 'tcp'),
    obs,
  );
  return run.finish();
}

/** The custom checks (data) over the endpoint's custom observation; a request that failed is scan health. */
function judgeCustom(run: EndpointRun, checks: readonly CustomCheck[], obs: EndpointObservations): void {
  if (checks.length === 0) return;
  runChecks(customPlugin.checks({ customChecks: checks }), obs.custom, run.ctx, run.emit);
  for (const check of checks) {
    const failure = customFailure(check, obs.custom);
    if (failure) run.failed('custom', customPosture(check), failure.reason, failure.detail);
  }
}
