import type { Category, Criticality, PostureEndpoint, Severity } from '../domain/index.js';

/**
 * The organisation posture index, 0–100 (higher is better), in four sentences a manager can repeat:
 *
 * 1. Each assessed endpoint starts at 100 and loses points for each of its open findings that is
 *    not waived: critical 40, high 20, medium 8, low 3, info 0; it cannot go below 0.
 * 2. The organisation index is the mean of those endpoint scores, weighted by the criticality of
 *    the asset: low 1, medium 2, high 3, critical 5 (an ad-hoc endpoint, outside the inventory,
 *    counts as medium) — a critical service weighs five times a minor one.
 * 3. The same formula, restricted to their endpoints, gives the score of each owner (« — » for
 *    endpoints without owner) and of each asset (« — » for ad-hoc endpoints); per category (TLS,
 *    HTTP, services, DNS/mail, scan), each endpoint counts only the penalties of that category.
 * 4. Endpoints that could not be assessed (unreachable, timeout) are left out of every score and
 *    counted in `unassessed`: an outage neither raises nor lowers the index. With no assessed
 *    endpoint there is no index: `index` is 0 and `endpoints` is 0 — read it as « non mesuré ».
 * 5. An endpoint assessed in part (a probe family failed: its certificate could not be read, its
 *    page could not be fetched…) counts with its findings, its `scan.error` for the family
 *    included, and is counted in `partial`; in each category it could not be evaluated for, it is
 *    left out of that category's score and counted in that category's `unassessed` — what was not
 *    observed is never scored as clean.
 *
 * Properties: a new open finding never raises any score; waiving one never lowers it; all figures
 * are rounded to one decimal. Breakdowns list the worst first (then by name); categories appear
 * when at least one assessed endpoint has a finding of that category (waived ones included) or could
 * not be evaluated for it, in a fixed order; every assessed endpoint counts in each of them (100
 * where it has none) unless that category was not evaluated on it, because `PostureEndpoint` says
 * which categories failed, not which were checked.
 */
export const POSTURE_SCORING_VERSION = 'vigie-posture-2';

/** Points an open, unwaived finding takes from its endpoint's 100. */
export const SEVERITY_PENALTY: Readonly<Record<Severity, number>> = {
  info: 0,
  low: 3,
  medium: 8,
  high: 20,
  critical: 40,
};

/** Weight of an endpoint in the means, by its asset's criticality. */
export const CRITICALITY_WEIGHT: Readonly<Record<Criticality, number>> = {
  low: 1,
  medium: 2,
  high: 3,
  critical: 5,
};

/** Label of the group of endpoints without owner (ad-hoc) or without asset. */
export const NO_OWNER = '—';

/**
 * Score of one endpoint: 100 minus the penalties of its open, unwaived findings (of one category
 * when given), at least 0. Not rounded.
 */
export function endpointPostureScore(endpoint: PostureEndpoint, category?: Category): number {
  const penalty = endpoint.findings
    .filter((f) => !f.waived && (category === undefined || f.category === category))
    .reduce((sum, f) => sum + SEVERITY_PENALTY[f.severity], 0);
  return Math.max(0, 100 - penalty);
}
