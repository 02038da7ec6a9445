import {
  exposedCheckId,
  isExposureDeclared,
  unauthenticatedCheckId,
  type CheckStatus,
  type EvidenceParams,
  type ServiceCatalogue,
  type ServiceEntry,
  type ServiceObservation,
  type Severity,
} from '../../domain/index.js';
import { pass, runChecks, type Check, type CheckContext, type CheckVerdict } from '../check.js';

export const SERVICE_OPEN_UNKNOWN = 'service.open.unknown';
export const SERVICE_BANNER_VERSION = 'service.banner.version';

/**
 * Check IDs raised by the service checks besides `service.exposed.<name>` and
 * `service.<name>.unauthenticated`, which come from the services' records in services.yaml.
 */
export const SERVICE_CHECK_IDS: readonly string[] = [SERVICE_OPEN_UNKNOWN, SERVICE_BANNER_VERSION];

/** The service checks' context: the port's expected service is part of the plan, not of the observation. */
export interface ServiceCheckContext extends CheckContext {
  /** The catalogue's service for this port, when it has one. */
  expected?: ServiceEntry;
}

const NONE = '—';
const COULD_NOT_TELL: CheckVerdict = {
  status: 'error',
  detail: 'le port répond sans que le service soit reconnu',
};

/** The label of the service found: from the catalogue, else the expected entry, else its name. */
function labelOf(name: string, ctx: ServiceCheckContext): { label: string; aliases: readonly string[] } {
  const found = ctx.services?.services.get(name) ?? (ctx.expected?.name === name ? ctx.expected : undefined);
  return { label: found?.label ?? name, aliases: found?.aliases ?? [] };
}

/**
 * The checks of one service name concern a port where it is expected by default, or where it answered.
 * - closed or filtered: pass (for the port's own service);
 * - open, unidentified: the port's own service cannot be told, `error` — never `pass`;
 * - open and identified as another service: pass.
 */
const concernsName =
  (name: string) =>
  (obs: ServiceObservation, ctx: ServiceCheckContext): boolean =>
    ctx.expected?.name === name || (obs.state === 'open' && obs.service === name);

/**
 * A check of one service name, on the ports it concerns (see `concernsName`): closed or filtered
 * passes, open but unidentified cannot be told, open as another service passes; open as `name`,
 * `judge` decides.
 */
function serviceNameCheck(
  id: string,
  name: string,
  judge: (obs: ServiceObservation, ctx: ServiceCheckContext) => CheckVerdict,
): Check<ServiceObservation, ServiceCheckContext> {
  return {
    id,
    concerns: concernsName(name),
    evaluate(obs, ctx) {
      if (obs.state !== 'open') return pass();
      if (obs.service === undefined) return COULD_NOT_TELL;
      return obs.service === name ? judge(obs, ctx) : pass();
    },
  };
}

const exposedCheck = (name: string): Check<ServiceObservation, ServiceCheckContext> =>
  serviceNameCheck(exposedCheckId(name), name, (obs, ctx) => {
    const { label, aliases } = labelOf(name, ctx);
    // Declared under `expose:`: only an `info` note.
    const declared = isExposureDeclared(ctx.endpoint.expose ?? [], name, aliases);
    return {
      status: 'fail',
      findings: [
        {
          params: { port: obs.port, transport: obs.transport, service: label, banner: obs.banner ?? NONE },
          ...(declared ? { severity: 'info' as const } : {}),
        },
      ],
    };
  });

const unauthenticatedCheck = (name: string): Check<ServiceObservation, ServiceCheckContext> =>
  serviceNameCheck(unauthenticatedCheckId(name), name, (obs, ctx) => {
    if (obs.unauthenticated === undefined) return pass();
    return {
      status: 'fail',
      findings: [
        { params: { port: obs.port, service: labelOf(name, ctx).label, proof: obs.unauthenticated } },
      ],
    };
  });

const openUnknown: Check<ServiceObservation, ServiceCheckContext> = {
  id: SERVICE_OPEN_UNKNOWN,
  evaluate(obs) {
    if (obs.state !== 'open' || obs.service !== undefined) return pass();
    return {
      status: 'fail',
      findings: [
        {
          key: String(obs.port),
          params: { port: obs.port, transport: obs.transport, banner: obs.banner ?? NONE },
        },
      ],
    };
  },
};

const bannerVersion: Check<ServiceObservation, ServiceCheckContext> = {
  id: SERVICE_BANNER_VERSION,
  evaluate(obs, ctx) {
    if (obs.state !== 'open' || obs.service === undefined || obs.version === undefined) return pass();
    return {
      status: 'fail',
      findings: [
        {
          key: String(obs.port),
          params: {
            port: obs.port,
            service: labelOf(obs.service, ctx).label,
            version: obs.version,
            banner: obs.banner ?? NONE,
          },
        },
      ],
    };
  },
};

/**
 * The service checks, for the catalogue's services and any other name given (the service a probe
 * identified, the port's expected entry): `service.exposed.<name>` for each — only an `info` note when
 * `expose:` declares it or an alias —, `service.<name>.unauthenticated` where the probe can prove open
 * access, then `service.open.unknown` and `service.banner.version`.
 */
export function serviceChecks(
  catalogue: ServiceCatalogue | undefined,
  more: readonly (ServiceEntry | string | undefined)[] = [],
): Check<ServiceObservation, ServiceCheckContext>[] {
  const entries = new Map<string, ServiceEntry | undefined>(catalogue?.services ?? []);
  for (const m of more) {
    if (m === undefined) continue;
    const name = typeof m === 'string' ? m : m.name;
    if (!entries.has(name) || entries.get(name) === undefined)
      entries.set(name, typeof m === 'string' ? undefined : m);
  }
  return [
    ...[...entries].flatMap(([name, entry]) =>
      // The access check exists where the service's record says its probe can prove open access.
      entry?.unauthenticated ? [exposedCheck(name), unauthenticatedCheck(name)] : [exposedCheck(name)],
    ),
    openUnknown,
    bannerVersion,
  ];
}

export interface ServiceFinding {
  checkId: string;
  key?: string;
  params: EvidenceParams;
  severity?: Severity;
}

export interface ServiceEvaluation {
  checks: Record<string, CheckStatus>;
  findings: ServiceFinding[];
}

/** The service checks of one port, run over what the probe saw (pure). */
export function evaluateService(
  obs: ServiceObservation,
  ctx: { expose: readonly string[]; entry?: ServiceEntry; catalogue?: ServiceCatalogue },
): ServiceEvaluation {
  const checks: Record<string, CheckStatus> = {};
  const findings: ServiceFinding[] = [];
  const context: ServiceCheckContext = {
    now: new Date(0),
    expiryDays: 0,
    endpoint: { host: '', port: obs.port, expose: [...ctx.expose] },
    ...(ctx.catalogue ? { services: ctx.catalogue } : {}),
    ...(ctx.entry ? { expected: ctx.entry } : {}),
  };
  runChecks(serviceChecks(ctx.catalogue, [ctx.entry, obs.service]), obs, context, (id, verdict) => {
    checks[id] = verdict.status;
    if (verdict.status !== 'fail') return;
    for (const f of verdict.findings) findings.push({ checkId: id, ...f });
  });
  return { checks, findings };
}
