import { describe, expect, it } from 'vitest';
import {
  CRITICALITIES,
  SEVERITIES,
  type Category,
  type Criticality,
  type PostureEndpoint,
  type Severity,
} from '../../src/domain/index.js';
import {
  computePosture,
  CRITICALITY_WEIGHT,
  endpointPostureScore,
  POSTURE_SCORING_VERSION,
  SEVERITY_PENALTY,
} from '../../src/grading/index.js';

type F = PostureEndpoint['findings'][number];
const f = (severity: Severity, category: Category = 'tls', waived = false): F => ({
  severity,
  category,
  waived,
});

let port = 0;
function ep(over: Partial<PostureEndpoint> & { findings?: F[] } = {}): PostureEndpoint {
  port += 1;
  return {
    host: `h${port}.exemple.fr`,
    port: 443,
    criticality: 'medium',
    assessed: true,
    findings: [],
    ...over,
  };
}

describe('computePosture', () => {
  it('publishes its tables and version', () => {
    expect(SEVERITY_PENALTY).toEqual({ info: 0, low: 3, medium: 8, high: 20, critical: 40 });
    expect(CRITICALITY_WEIGHT).toEqual({ low: 1, medium: 2, high: 3, critical: 5 });
    expect(computePosture([]).scoringVersion).toBe(POSTURE_SCORING_VERSION);
  });

  it('scores an endpoint 100 minus its penalties, never below 0', () => {
    expect(endpointPostureScore(ep({ findings: [f('high'), f('medium'), f('low'), f('info')] }))).toBe(69);
    expect(endpointPostureScore(ep({ findings: [f('critical'), f('critical'), f('critical')] }))).toBe(0);
    expect(endpointPostureScore(ep())).toBe(100);
  });

  it('weights endpoints by criticality', () => {
    const p = computePosture([
      ep({ criticality: 'critical', findings: [f('high'), f('high')] }), // 60 × 5
      ep({ criticality: 'low' }), // 100 × 1
    ]);
    expect(p.index).toBe(66.7); // 400 / 6
    expect(p.endpoints).toBe(2);
    const flipped = computePosture([
      ep({ criticality: 'low', findings: [f('high'), f('high')] }),
      ep({ criticality: 'critical' }),
    ]);
    expect(flipped.index).toBe(93.3); // 560 / 6
  });

  it('leaves waived findings out', () => {
    const p = computePosture([ep({ findings: [f('critical', 'tls', true), f('low')] })]);
    expect(p.index).toBe(97);
  });

  it('leaves unassessed endpoints out of every score and counts them', () => {
    const down = ep({ assessed: false, owner: 'DSI', findings: [f('medium', 'scan')] });
    const p = computePosture([ep({ owner: 'DSI', findings: [f('low')] }), down]);
    expect(p).toMatchObject({ index: 97, endpoints: 1, unassessed: 1 });
    expect(p.byOwner).toEqual([{ owner: 'DSI', index: 97, endpoints: 1 }]);
    expect(p.byCategory.map((c) => c.category)).toEqual(['tls']);
  });

  it('has no index without an assessed endpoint: 0 with 0 endpoints', () => {
    expect(computePosture([])).toMatchObject({ index: 0, endpoints: 0, unassessed: 0, byOwner: [] });
    expect(computePosture([ep({ assessed: false }), ep({ assessed: false })])).toMatchObject({
      index: 0,
      endpoints: 0,
      unassessed: 2,
      byOwner: [],
      byAsset: [],
      byCategory: [],
    });
  });

  it('breaks the index down by owner and by asset, worst first, « — » for ad-hoc endpoints', () => {
    const p = computePosture([
      ep({ owner: 'Service informatique', assetId: 'portail', criticality: 'high', findings: [f('high')] }),
      ep({ owner: 'Service informatique', assetId: 'portail', criticality: 'high' }),
      ep({ owner: 'Communication', assetId: 'site', criticality: 'critical', findings: [f('critical')] }),
      ep({ findings: [f('medium')] }),
    ]);
    expect(p.byOwner).toEqual([
      { owner: 'Communication', index: 60, endpoints: 1 },
      { owner: 'Service informatique', index: 90, endpoints: 2 },
      { owner: '—', index: 92, endpoints: 1 },
    ]);
    expect(p.byAsset).toEqual([
      { assetId: 'site', index: 60, endpoints: 1 },
      { assetId: 'portail', index: 90, endpoints: 2 },
      { assetId: '—', index: 92, endpoints: 1 },
    ]);
    // (3 × 80 + 3 × 100 + 5 × 60 + 2 × 92) / 13
    expect(p.index).toBe(78.8);
  });

  it('breaks the index down by category, counting only that category’s penalties', () => {
    const p = computePosture([
      ep({ criticality: 'high', findings: [f('high', 'tls'), f('medium', 'http')] }),
      ep({ criticality: 'low', findings: [f('critical', 'services'), f('low', 'dns', true)] }),
    ]);
    expect(p.byCategory).toEqual([
      { category: 'tls', index: 85, endpoints: 2, unassessed: 0 }, // (3 × 80 + 1 × 100) / 4
      { category: 'http', index: 94, endpoints: 2, unassessed: 0 }, // (3 × 92 + 1 × 100) / 4
      { category: 'services', index: 90, endpoints: 2, unassessed: 0 }, // (3 × 100 + 1 × 60) / 4
      { category: 'dns', index: 100, endpoints: 2, unassessed: 0 }, // waived: listed, no penalty
    ]);
  });

  it('leaves a part that could not be evaluated out of its category, never as clean, and counts it', () => {
    // A TLS endpoint whose certificate could not be read: protocols seen, trust and name not.
    const partial = ep({ criticality: 'high', notEvaluated: ['tls'], findings: [f('medium', 'scan')] });
    const clean = ep({ criticality: 'medium', findings: [f('high', 'tls')] });
    const p = computePosture([partial, clean]);
    // Counted with its scan.error: 92, not 100. (3 × 92 + 2 × 80) / 5
    expect(p.index).toBe(87.2);
    expect(p.partial).toBe(1);
    expect(p.unassessed).toBe(0);
    expect(p.byCategory).toEqual([
      // Only the endpoint whose TLS was evaluated counts here; the other is « non évalué ».
      { category: 'tls', index: 80, endpoints: 1, unassessed: 1 },
      { category: 'scan', index: 95.2, endpoints: 2, unassessed: 0 }, // (3 × 92 + 2 × 100) / 5
    ]);
    // Alone, its TLS part has no index at all (0 over 0 endpoints), not 100.
    const alone = computePosture([partial]);
    expect(alone.byCategory[0]).toEqual({ category: 'tls', index: 0, endpoints: 0, unassessed: 1 });
  });

  it('rounds to one decimal', () => {
    const p = computePosture([
      ep({ criticality: 'low', findings: [f('low')] }),
      ep({ criticality: 'medium' }),
      ep({ criticality: 'critical', findings: [f('medium')] }),
    ]);
    // (97 + 200 + 460) / 8 = 94.625
    expect(p.index).toBe(94.6);
    const thirds = computePosture([
      ep({ criticality: 'low', findings: [f('low')] }),
      ep(),
      ep({ criticality: 'low' }),
    ]);
    expect(thirds.index).toBe(99.3); // (97 + 200 + 100) / 4 = 99.25 → 99.3
  });

  it('never rises when a finding is added, and never falls when one is waived', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const categories: Category[] = ['tls', 'http', 'services', 'dns'];
    const owners = ['A', 'B', undefined];
    for (let round = 0; round < 200; round += 1) {
      const estate = Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
        const owner = pick(owners);
        return ep({
          criticality: pick<Criticality>(CRITICALITIES),
          assessed: random() > 0.2,
          ...(owner === undefined ? {} : { owner }),
          findings: Array.from({ length: Math.floor(random() * 5) }, () =>
            f(pick<Severity>(SEVERITIES), pick(categories), random() > 0.8),
          ),
        });
      });
      const before = computePosture(estate);
      const target = pick(estate);
      const extra = f(pick<Severity>(SEVERITIES), pick(categories));
      const after = computePosture(
        estate.map((e) => (e === target ? { ...e, findings: [...e.findings, extra] } : e)),
      );
      expect(after.index).toBeLessThanOrEqual(before.index);
      for (const o of after.byOwner) {
        const was = before.byOwner.find((b) => b.owner === o.owner);
        expect(o.index).toBeLessThanOrEqual(was?.index ?? 100);
      }
      const waived = computePosture(
        estate.map((e) =>
          e === target ? { ...e, findings: e.findings.map((x) => ({ ...x, waived: true })) } : e,
        ),
      );
      expect(waived.index).toBeGreaterThanOrEqual(before.index);
    }
  });
});
