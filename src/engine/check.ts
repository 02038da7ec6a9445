import type {
  Category,
  CustomCheck,
  Endpoint,
  EvidenceParams,
  ServiceCatalogue,
  Severity,
} from '../domain/index.js';

export type { CheckStatus } from '../domain/index.js';

/** What one check concluded on one endpoint. A check that could not tell says `error`, never `pass`. */
export type CheckVerdict =
  | { status: 'pass' }
  | { status: 'fail'; findings: { key?: string; params: EvidenceParams; severity?: Severity }[] }
  | { status: 'error'; detail: string }
  | { status: 'skipped'; because: string };

export interface CheckContext {
  now: Date;
  /** A certificate expiring within this many days is reported. */
  expiryDays: number;
  endpoint: Endpoint;
  /** The risky-service catalogue: labels and aliases of the services a probe identified. */
  services?: ServiceCatalogue;
}

/**
 * The one shape of a check: a pure function from one family's observation to a verdict; its text
 * lives in checks/ (catalogue.yaml, services.yaml, custom/). It opens no socket and reads no clock:
 * everything it judges was observed once, before any check ran.
 */
export interface Check<O, C = CheckContext> {
  id: string;
  /**
   * Whether the check concerns this observation at all (e.g. the exposure of a service that neither
   * listens by default on this port nor answered there). Absent: always. When false, nothing is
   * recorded for it on this endpoint — neither a pass nor an error.
   */
  concerns?(observation: O, ctx: C): boolean;
  evaluate(observation: O, ctx: C): CheckVerdict;
}

/** The protocol families of checks, each with its plugin (src/engine/plugins.ts). */
export const CHECK_FAMILIES = ['smtp', 'tls', 'http', 'services', 'custom', 'dns'] as const;
export type CheckFamily = (typeof CHECK_FAMILIES)[number];

/** What the checks of a scan are made of besides code: the data of checks/ and of vigie.yml. */
export interface CheckData {
  services?: ServiceCatalogue;
  customChecks?: readonly CustomCheck[];
}

/**
 * A protocol family: what it observes (once per endpoint, or per domain for `dns`) and the checks
 * that judge that observation. The engine gathers every observation first, then runs the checks.
 */
export interface CheckPlugin<O, C = CheckContext> {
  family: CheckFamily;
  /** The observation, in words (docs/architecture.md lists them). */
  observes: string;
  /** The part of the posture index its failures leave unevaluated. */
  posture: Category;
  /** Its checks, given the data of checks/ (fixed for the families written in code). */
  checks(data: CheckData): readonly Check<O, C>[];
}

export const pass = (): CheckVerdict => ({ status: 'pass' });
export const fail = (params: EvidenceParams, key?: string): CheckVerdict => ({
  status: 'fail',
  findings: [key === undefined ? { params } : { key, params }],
});

/** Runs checks over one observation; a check that throws says `error`, it never stops the others. */
export function runChecks<O, C>(
  checks: readonly Check<O, C>[],
  observation: O,
  ctx: C,
  emit: (id: string, verdict: CheckVerdict) => void,
): void {
  for (const check of checks) {
    let verdict: CheckVerdict;
    try {
      if (check.concerns && !check.concerns(observation, ctx)) continue;
      verdict = check.evaluate(observation, ctx);
    } catch (error) {
      verdict = { status: 'error', detail: `erreur interne du contrôle : ${String(error)}` };
    }
    emit(check.id, verdict);
  }
}
