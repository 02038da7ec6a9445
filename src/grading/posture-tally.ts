import type { Category, PostureEndpoint, PostureIndex, PostureScore } from '../domain/index.js';
import { CRITICALITY_WEIGHT, endpointPostureScore, NO_OWNER, POSTURE_SCORING_VERSION } from './posture.js';

/** Display order of the categories (a Record, so a new category cannot be forgotten). */
const CATEGORY_RANK: Readonly<Record<Category, number>> = { tls: 0, http: 1, services: 2, dns: 3, scan: 4 };
const CATEGORIES = Object.keys(CATEGORY_RANK) as Category[];

const round1 = (x: number): number => Math.round((x + Number.EPSILON) * 10) / 10;

/** A criticality-weighted mean being gathered. */
interface Sum {
  weights: number;
  total: number;
  endpoints: number;
}

const sum = (): Sum => ({ weights: 0, total: 0, endpoints: 0 });

function addTo(s: Sum, weight: number, score: number): void {
  s.weights += weight;
  s.total += weight * score;
  s.endpoints += 1;
}

/** The mean, rounded to one decimal (0 when empty). */
const scoreOf = (s: Sum): PostureScore => ({
  index: s.weights === 0 ? 0 : round1(s.total / s.weights),
  endpoints: s.endpoints,
});

function addToGroup(groups: Map<string, Sum>, key: string, weight: number, score: number): void {
  let s = groups.get(key);
  if (!s) {
    s = sum();
    groups.set(key, s);
  }
  addTo(s, weight, score);
}

/** Breakdown rows, the worst first, then by name. */
function ranked(groups: ReadonlyMap<string, Sum>): [string, PostureScore][] {
  return [...groups.entries()]
    .map(([k, s]): [string, PostureScore] => [k, scoreOf(s)])
    .sort(([a, sa], [b, sb]) => sa.index - sb.index || a.localeCompare(b, 'fr'));
}

/**
 * The posture index ({@link computePosture}) gathered one endpoint at a time: it keeps sums per
 * owner, asset and category, not the endpoints, so a large run's posture is computed as its
 * endpoints are read. Every score is an integer and every weight too: the sums, hence the index,
 * do not depend on the order the endpoints come in.
 */
export class PostureTally {
  private readonly overall = sum();
  private readonly owners = new Map<string, Sum>();
  private readonly assets = new Map<string, Sum>();
  private readonly categories = new Map<Category, Sum & { unassessed: number }>();
  /** Categories with a finding (waived included) or left unevaluated on an assessed endpoint. */
  private readonly present = new Set<Category>();
  private unassessed = 0;
  private partial = 0;

  add(e: PostureEndpoint): void {
    if (!e.assessed) {
      this.unassessed += 1;
      return;
    }
    const weight = CRITICALITY_WEIGHT[e.criticality];
    const score = endpointPostureScore(e);
    addTo(this.overall, weight, score);
    addToGroup(this.owners, e.owner ?? NO_OWNER, weight, score);
    addToGroup(this.assets, e.assetId ?? NO_OWNER, weight, score);
    for (const f of e.findings) this.present.add(f.category);
    for (const c of e.notEvaluated ?? []) this.present.add(c);
    if ((e.notEvaluated?.length ?? 0) > 0) this.partial += 1;
    for (const category of CATEGORIES) {
      let s = this.categories.get(category);
      if (!s) {
        s = { ...sum(), unassessed: 0 };
        this.categories.set(category, s);
      }
      if (e.notEvaluated?.includes(category) === true) s.unassessed += 1;
      else addTo(s, weight, endpointPostureScore(e, category));
    }
  }

  /** The index of the endpoints added so far. */
  posture(): PostureIndex {
    const overall = scoreOf(this.overall);
    return {
      scoringVersion: POSTURE_SCORING_VERSION,
      index: overall.index,
      endpoints: overall.endpoints,
      unassessed: this.unassessed,
      partial: this.partial,
      byOwner: ranked(this.owners).map(([owner, s]) => ({ owner, ...s })),
      byAsset: ranked(this.assets).map(([assetId, s]) => ({ assetId, ...s })),
      byCategory: [...this.present]
        .sort((a, b) => CATEGORY_RANK[a] - CATEGORY_RANK[b])
        .map((category) => {
          const s = this.categories.get(category) ?? { ...sum(), unassessed: 0 };
          return { category, ...scoreOf(s), unassessed: s.unassessed };
        }),
    };
  }
}

/** Computes the organisation posture index and its breakdowns by owner, asset and category. */
export function computePosture(endpoints: Iterable<PostureEndpoint>): PostureIndex {
  const tally = new PostureTally();
  for (const e of endpoints) tally.add(e);
  return tally.posture();
}
