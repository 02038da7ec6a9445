import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRITICALITIES, SEVERITIES, type Category, type PostureEndpoint } from '../../src/domain/index.js';
import {
  computePosture,
  CRITICALITY_WEIGHT,
  POSTURE_SCORING_VERSION,
  PostureTally,
  SEVERITY_PENALTY,
} from '../../src/grading/index.js';

/** In their display order. */
const CATEGORIES: readonly Category[] = ['tls', 'http', 'services', 'dns', 'scan'];

const endpoint: fc.Arbitrary<PostureEndpoint> = fc.record(
  {
    host: fc.constantFrom('a.exemple.fr', 'b.exemple.fr', 'c.exemple.fr'),
    port: fc.constantFrom(443, 8443),
    assetId: fc.constantFrom('mairie', 'ecole', 'piscine'),
    owner: fc.constantFrom('DSI', 'Culture', 'Sports'),
    criticality: fc.constantFrom(...CRITICALITIES),
    assessed: fc.boolean(),
    notEvaluated: fc.uniqueArray(fc.constantFrom(...CATEGORIES), { maxLength: 2 }),
    findings: fc.array(
      fc.record({
        severity: fc.constantFrom(...SEVERITIES),
        category: fc.constantFrom(...CATEGORIES),
        waived: fc.boolean(),
      }),
      { maxLength: 6 },
    ),
  },
  { requiredKeys: ['host', 'port', 'criticality', 'assessed', 'findings'] },
);

/** The index as the rules say it, written plainly: filter, then a weighted mean (not the tally). */
function reference(endpoints: readonly PostureEndpoint[]) {
  const round = (x: number) => Math.round((x + Number.EPSILON) * 10) / 10;
  const score = (e: PostureEndpoint, c?: string) =>
    Math.max(
      0,
      100 -
        e.findings
          .filter((f) => !f.waived && (c === undefined || f.category === c))
          .reduce((s, f) => s + SEVERITY_PENALTY[f.severity], 0),
    );
  const mean = (list: readonly PostureEndpoint[], c?: string) => {
    const w = list.reduce((s, e) => s + CRITICALITY_WEIGHT[e.criticality], 0);
    const t = list.reduce((s, e) => s + CRITICALITY_WEIGHT[e.criticality] * score(e, c), 0);
    return { index: w === 0 ? 0 : round(t / w), endpoints: list.length };
  };
  const assessed = endpoints.filter((e) => e.assessed);
  const groups = (key: (e: PostureEndpoint) => string) =>
    [...new Set(assessed.map(key))]
      .map((k) => [k, mean(assessed.filter((e) => key(e) === k))] as const)
      .sort(([a, sa], [b, sb]) => sa.index - sb.index || a.localeCompare(b, 'fr'));
  const present = CATEGORIES.filter((c) =>
    assessed.some((e) => e.findings.some((f) => f.category === c) || e.notEvaluated?.includes(c)),
  );
  return {
    scoringVersion: POSTURE_SCORING_VERSION,
    ...mean(assessed),
    unassessed: endpoints.length - assessed.length,
    partial: assessed.filter((e) => (e.notEvaluated?.length ?? 0) > 0).length,
    byOwner: groups((e) => e.owner ?? '—').map(([owner, s]) => ({ owner, ...s })),
    byAsset: groups((e) => e.assetId ?? '—').map(([assetId, s]) => ({ assetId, ...s })),
    byCategory: present.map((category) => ({
      category,
      ...mean(
        assessed.filter((e) => !e.notEvaluated?.includes(category)),
        category,
      ),
      unassessed: assessed.filter((e) => e.notEvaluated?.includes(category)).length,
    })),
  };
}

describe('PostureTally', () => {
  it('gives, one endpoint at a time, the index the rules define', () => {
    fc.assert(
      fc.property(fc.array(endpoint, { maxLength: 40 }), (endpoints) => {
        expect(computePosture(endpoints)).toEqual(reference(endpoints));
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order the endpoints come in', () => {
    fc.assert(
      fc.property(
        fc
          .array(endpoint, { minLength: 1, maxLength: 40 })
          .chain((list) =>
            fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
          ),
        ([list, shuffled]) => {
          const tally = new PostureTally();
          for (const e of shuffled) tally.add(e);
          expect(tally.posture()).toEqual(computePosture(list));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('says « non mesuré » (index 0, no endpoint) when nothing was assessed', () => {
    const tally = new PostureTally();
    tally.add({ host: 'a.exemple.fr', port: 443, criticality: 'high', assessed: false, findings: [] });
    expect(tally.posture()).toMatchObject({ index: 0, endpoints: 0, unassessed: 1, byOwner: [] });
  });
});
