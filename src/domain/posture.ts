import type { Category } from './finding.js';
import type { Criticality } from './grades.js';
import type { Severity } from './severity.js';

/** One endpoint as the posture index sees it. */
export interface PostureEndpoint {
  host: string;
  port: number;
  assetId?: string;
  /** Owner of the asset; ad-hoc endpoints have none. */
  owner?: string;
  /** Asset criticality; ad-hoc endpoints count as `medium`. */
  criticality: Criticality;
  /** Only endpoints that could be assessed count; the others are listed apart. */
  assessed: boolean;
  /**
   * Categories whose probes failed on this endpoint (it was assessed otherwise): the endpoint is left
   * out of those categories' scores and counted there as not evaluated.
   */
  notEvaluated?: Category[];
  /** Open findings of the endpoint; waived ones are left out of the score. */
  findings: { severity: Severity; category: Category; waived: boolean }[];
}

export interface PostureScore {
  /** 0–100, one decimal. */
  index: number;
  endpoints: number;
}

/** The organisation posture index and its breakdowns. */
export interface PostureIndex {
  scoringVersion: string;
  index: number;
  endpoints: number;
  unassessed: number;
  /** Endpoints counted although a part of them (a probe family) could not be evaluated. */
  partial: number;
  byOwner: (PostureScore & { owner: string })[];
  byAsset: (PostureScore & { assetId: string })[];
  /** Per category; `unassessed` endpoints are those where that category could not be evaluated. */
  byCategory: (PostureScore & { category: Category; unassessed: number })[];
}
