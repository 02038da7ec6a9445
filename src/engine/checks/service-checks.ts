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

/** Services whose safe probe can prove access without authentication (`service.<name>.unauthenticated`). */
export const UNAUTHENTICATED_SERVICES = [
  'redis',
  'memcached',
  'elasticsearch',
  'docker',
  'couchdb',
  'kubelet',
  'vnc',
] as const;

export const SERVICE_OPEN_UNKNOWN = 'service.open.unknown';
export const SERVICE_BANNER_VERSION = 'service.banner.version';

/** Check IDs raised by evaluateService besides `service.exposed.<name>` (which come from services.yaml). */
export const SERVICE_CHECK_IDS: readonly string[] = [
  SERVICE_OPEN_UNKNOWN,
  SERVICE_BANNER_VERSION,
  ...UNAUTHENTICATED_SERVICES.map(unauthenticatedCheckId),
];

export interface ServiceCheckContext {
  /** The asset's `expose:`: services meant to be public (names or aliases). */
  expose: readonly string[];
  /** The catalogue's service for this port, when it has one. */
  entry?: ServiceEntry;
  /** The whole catalogue, to label (and match aliases of) a service found on another service's port. */
  catalogue?: ServiceCatalogue;
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

const NONE = '—';
const canProveOpenAccess = (name: string): boolean =>
  (UNAUTHENTICATED_SERVICES as readonly string[]).includes(name);

/**
 * The service checks of one port, from what the probe saw (pure):
 * - closed or filtered: the port's `service.exposed.<name>` passes;
 * - open and identified as X: `service.exposed.X` (only an `info` note when `expose:` declares X or
 *   one of its aliases), `service.X.unauthenticated` when the probe proved open access,
 *   `service.banner.version` when a version was disclosed;
 * - open and unidentified: `service.open.unknown` with the port; the port's own service cannot be
 *   told, so its checks are `error`, never `pass`.
 */
export function evaluateService(obs: ServiceObservation, ctx: ServiceCheckContext): ServiceEvaluation {
  const checks: Record<string, CheckStatus> = {};
  const findings: ServiceFinding[] = [];
  const expected = ctx.entry;
  const key = String(obs.port);
  const settle = (name: string, status: CheckStatus): void => {
    checks[exposedCheckId(name)] = status;
    if (canProveOpenAccess(name)) checks[unauthenticatedCheckId(name)] = status;
  };

  if (obs.state !== 'open') {
    if (expected !== undefined) settle(expected.name, 'pass');
    checks[SERVICE_OPEN_UNKNOWN] = 'pass';
    checks[SERVICE_BANNER_VERSION] = 'pass';
    return { checks, findings };
  }

  if (obs.service === undefined) {
    if (expected !== undefined) settle(expected.name, 'error');
    checks[SERVICE_OPEN_UNKNOWN] = 'fail';
    findings.push({
      checkId: SERVICE_OPEN_UNKNOWN,
      key,
      params: { port: obs.port, transport: obs.transport, banner: obs.banner ?? NONE },
    });
    checks[SERVICE_BANNER_VERSION] = 'pass';
    return { checks, findings };
  }

  const name = obs.service;
  const found = ctx.catalogue?.services.get(name) ?? (expected?.name === name ? expected : undefined);
  const label = found?.label ?? name;
  if (expected !== undefined && expected.name !== name) settle(expected.name, 'pass');
  checks[SERVICE_OPEN_UNKNOWN] = 'pass';

  const declared = isExposureDeclared(ctx.expose, name, found?.aliases ?? []);
  checks[exposedCheckId(name)] = 'fail';
  findings.push({
    checkId: exposedCheckId(name),
    params: { port: obs.port, transport: obs.transport, service: label, banner: obs.banner ?? NONE },
    ...(declared ? { severity: 'info' as const } : {}),
  });

  if (obs.unauthenticated !== undefined) {
    checks[unauthenticatedCheckId(name)] = 'fail';
    findings.push({
      checkId: unauthenticatedCheckId(name),
      params: { port: obs.port, service: label, proof: obs.unauthenticated },
    });
  } else if (canProveOpenAccess(name)) {
    checks[unauthenticatedCheckId(name)] = 'pass';
  }

  if (obs.version !== undefined) {
    checks[SERVICE_BANNER_VERSION] = 'fail';
    findings.push({
      checkId: SERVICE_BANNER_VERSION,
      key,
      params: { port: obs.port, service: label, version: obs.version, banner: obs.banner ?? NONE },
    });
  } else {
    checks[SERVICE_BANNER_VERSION] = 'pass';
  }
  return { checks, findings };
}
