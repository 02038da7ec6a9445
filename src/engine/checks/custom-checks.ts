import { matchHttp, matchTcp, type CustomMatchResult } from '../../domain/custom-matchers.js';
import type { CustomCheck, ErrorReason, HttpResponseFacts, Outcome } from '../../domain/index.js';
import { pass, type Check, type CheckVerdict } from '../check.js';

/** What the custom checks of one endpoint read, each request made once. */
export interface CustomObservation {
  /**
   * By path: the response to one GET on the web endpoint, no redirect followed. The HTTP probe's own
   * first response stands for its path (`/` by default): the page is not fetched twice. Absent when
   * the HTTP probe itself failed: the web server could not be reached.
   */
  http: ReadonlyMap<string, Outcome<HttpResponseFacts>>;
  /** By check ID: what the service sent back on the check's port after its `send:`. */
  tcp: ReadonlyMap<string, Outcome<{ received: Buffer }>>;
}

/** Errors meaning "nothing listens here": a closed port cannot match, the check passes there. */
const CLOSED: readonly ErrorReason[] = ['refused'];

const matched = (m: CustomMatchResult): CheckVerdict =>
  m.matched ? { status: 'fail', findings: [{ params: m.evidence }] } : pass();

/**
 * The request a custom check depends on, when it could not be made for a reason of its own (not a
 * closed port, not the HTTP probe's failure): a scan-health failure of the `custom` family.
 */
export function customFailure(
  check: CustomCheck,
  obs: CustomObservation,
): { reason: ErrorReason; detail: string } | undefined {
  const o = check.kind === 'http' ? obs.http.get(check.http.path) : obs.tcp.get(check.id);
  if (o?.status !== 'error') return undefined;
  if (check.kind === 'tcp' && CLOSED.includes(o.reason)) return undefined;
  return { reason: o.reason, detail: `${check.id} : ${o.detail}` };
}

/** A custom check of checks/custom/ (data) as a check over the endpoint's custom observation. */
export function customCheck(check: CustomCheck): Check<CustomObservation> {
  return {
    id: check.id,
    evaluate(obs) {
      if (check.kind === 'http') {
        const response = obs.http.get(check.http.path);
        // The custom HTTP checks need the web server the HTTP probe could not reach.
        if (!response) return { status: 'error', detail: 'sonde HTTP en échec sur ce point d’accès' };
        if (response.status === 'error')
          return { status: 'error', detail: `${response.reason}: ${response.detail}` };
        if (response.status === 'skipped') return { status: 'skipped', because: response.because };
        return matched(matchHttp(check.http, response.value));
      }
      const o = obs.tcp.get(check.id);
      if (!o) return { status: 'error', detail: 'échange TCP non effectué' };
      if (o.status === 'skipped') return { status: 'skipped', because: o.because };
      if (o.status === 'error') {
        return CLOSED.includes(o.reason) ? pass() : { status: 'error', detail: `${o.reason}: ${o.detail}` };
      }
      return matched(matchTcp(check.tcp, o.value.received.toString('latin1')));
    },
  };
}
