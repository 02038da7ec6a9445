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
  byOwner: (PostureScore & { owner: string })[];
  byAsset: (PostureScore & { assetId: string })[];
  byCategory: (PostureScore & { category: Category })[];
}
