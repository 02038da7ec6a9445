import type { Endpoint, EvidenceParams, Severity } from '../domain/index.js';

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
}

/** A check is a pure function from observations to a verdict; its text lives in checks/catalogue.yaml. */
export interface Check<O> {
  id: string;
  evaluate(observation: O, ctx: CheckContext): CheckVerdict;
}

export const pass = (): CheckVerdict => ({ status: 'pass' });
export const fail = (params: EvidenceParams, key?: string): CheckVerdict => ({
  status: 'fail',
  findings: [key === undefined ? { params } : { key, params }],
});
