import { describe, expect, it } from 'vitest';
import type { SpfTargetAnswer, SpfTargetQuestion } from '../../src/domain/dns.js';
import { SPF_WALK_MAX_LOOKUPS, walkSpf, type SpfFacts } from '../../src/domain/spf-walk.js';

/** Facts with the given TXT records; every target question answered with its count (0 when absent). */
function facts(
  included: Record<string, string[]>,
  counts: Partial<Record<SpfTargetQuestion, number>> = {},
  errors: SpfTargetQuestion[] = [],
): SpfFacts {
  const targets: Partial<Record<SpfTargetQuestion, SpfTargetAnswer>> = {};
  for (const [q, count] of Object.entries(counts)) {
    targets[q as SpfTargetQuestion] = { status: 'answered', count: count ?? 0 };
  }
  for (const q of errors)
    targets[q] = { status: 'error', reason: 'timeout', detail: `pas de réponse pour ${q}` };
  return { included, targets };
}

/** Answers every question the walk asks with `count` unless told otherwise, then walks again. */
function answered(domain: string, record: string, base: SpfFacts, count = 1): SpfFacts {
  const walk = walkSpf(domain, record, base);
  const targets = { ...base.targets };
  for (const q of walk.questions) targets[q] ??= { status: 'answered', count };
  return { ...base, targets };
}

describe('walkSpf', () => {
  it('asks for the records it lacks one include at a time, then for the targets of the first 10 lookups', () => {
    const record = 'v=spf1 include:a.exemple.fr mx include:b.exemple.fr -all';
    const empty = facts({});
    expect(walkSpf('exemple.fr', record, empty)).toMatchObject({ missing: 'a.exemple.fr', questions: [] });
    const withA = facts({ 'a.exemple.fr': ['v=spf1 a:h.exemple.fr exists:%{i}.e.exemple.fr -all'] });
    expect(walkSpf('exemple.fr', record, withA)).toMatchObject({ missing: 'b.exemple.fr', questions: [] });
    const all = facts({ ...withA.included, 'b.exemple.fr': ['v=spf1 ip4:192.0.2.1 -all'] });
    const walk = walkSpf('exemple.fr', record, all);
    expect(walk.missing).toBeUndefined();
    // A macro depends on the message: never asked, never counted as void.
    expect(walk.questions).toEqual(['A h.exemple.fr', 'AAAA h.exemple.fr', 'MX exemple.fr']);
    expect(walk.lookups).toBe(5);
    expect(walk.trail).toEqual([
      'exemple.fr: include:a.exemple.fr',
      'a.exemple.fr: a:h.exemple.fr',
      'a.exemple.fr: exists:%{i}.e.exemple.fr',
      'exemple.fr: mx',
      'exemple.fr: include:b.exemple.fr',
    ]);
  });

  it('tells who reaches a term: every sender, until a mechanism that can match them', () => {
    const broken = { 'x.exemple.fr': ['v=spf1 bogus -all'] };
    const scopeOf = (record: string, counts: Partial<Record<SpfTargetQuestion, number>> = {}) => {
      const f = answered('exemple.fr', record, facts(broken, counts));
      return walkSpf('exemple.fr', record, f).problems.map((p) => [p.scope, p.reach]);
    };
    expect(scopeOf('v=spf1 exp=e.exemple.fr include:x.exemple.fr -all')).toEqual([
      ['every-sender', undefined],
    ]);
    expect(scopeOf('v=spf1 ip4:192.0.2.1 include:x.exemple.fr -all')).toEqual([
      ['reaching-term', 'include:x.exemple.fr'],
    ]);
    // A name without address matches no one; it does not stop any sender.
    expect(
      scopeOf('v=spf1 a:vide.exemple.fr include:x.exemple.fr -all', {
        'A vide.exemple.fr': 0,
        'AAAA vide.exemple.fr': 0,
      }),
    ).toEqual([['every-sender', undefined]]);
    // Mechanisms after `all` are never tested: nothing there is judged (§5.1).
    expect(scopeOf('v=spf1 -all include:x.exemple.fr')).toEqual([]);
    // A redirect is ignored when the record has `all` (§6.1).
    expect(scopeOf('v=spf1 ?all redirect=x.exemple.fr')).toEqual([]);
  });

  it('reports a broken included record once, at the first path that reaches it', () => {
    const f = facts({
      'a.exemple.fr': ['v=spf1 include:c.exemple.fr -all'],
      'b.exemple.fr': ['v=spf1 include:c.exemple.fr -all'],
      'c.exemple.fr': ['v=spf1 ip4:192.0.2.1/33 -all'],
    });
    const walk = walkSpf('exemple.fr', 'v=spf1 include:a.exemple.fr include:b.exemple.fr -all', f);
    expect(walk.lookups).toBe(4);
    expect(walk.problems).toEqual([
      {
        code: 'invalid-cidr',
        term: 'include:a.exemple.fr → include:c.exemple.fr → ip4:192.0.2.1/33',
        scope: 'every-sender',
        key: 'invalid-cidr:include:a.exemple.fr → include:c.exemple.fr → ip4:192.0.2.1/33',
      },
    ]);
  });

  it('counts a target without TXT as a void lookup, and an include without SPF as a permanent error', () => {
    const record = 'v=spf1 include:nx.exemple.fr a:nx2.exemple.fr a:nx3.exemple.fr -all';
    const f = facts(
      { 'nx.exemple.fr': [] },
      {
        'A nx2.exemple.fr': 0,
        'AAAA nx2.exemple.fr': 0,
        'A nx3.exemple.fr': 0,
        'AAAA nx3.exemple.fr': 0,
      },
    );
    const walk = walkSpf('exemple.fr', record, f);
    expect(walk.brokenIncludes).toEqual(['nx.exemple.fr']);
    expect(walk.problems.map((p) => [p.code, p.term, p.scope])).toEqual([
      ['include-without-spf', 'nx.exemple.fr', 'every-sender'],
      ['void-lookups', 'include:nx.exemple.fr ; a:nx2.exemple.fr ; a:nx3.exemple.fr', 'every-sender'],
    ]);
  });

  it('leaves a verdict open only when an unanswered question could change it', () => {
    const two = 'v=spf1 a:nx1.exemple.fr a:nx2.exemple.fr a:muet.exemple.fr -all';
    const nx = {
      'A nx1.exemple.fr': 0,
      'AAAA nx1.exemple.fr': 0,
      'A nx2.exemple.fr': 0,
      'AAAA nx2.exemple.fr': 0,
    };
    const open = walkSpf('exemple.fr', two, facts({}, nx, ['A muet.exemple.fr', 'AAAA muet.exemple.fr']));
    expect(open.problems).toEqual([]);
    expect(open.unresolved).toEqual(['A muet.exemple.fr', 'AAAA muet.exemple.fr']);
    // One void only: even void, the unanswered one would make two, within the limit.
    const one = 'v=spf1 a:nx1.exemple.fr a:muet.exemple.fr -all';
    const settled = walkSpf('exemple.fr', one, facts({}, nx, ['A muet.exemple.fr', 'AAAA muet.exemple.fr']));
    expect(settled).toMatchObject({ problems: [], unresolved: [] });
    // An MX set that could not be read might hold more than 10 records.
    const mx = walkSpf('exemple.fr', 'v=spf1 mx -all', facts({}, {}, ['MX exemple.fr']));
    expect(mx.unresolved).toEqual(['MX exemple.fr']);
  });

  it('reports a loop once, where it closes, without walking around it again', () => {
    const f = facts({
      'a.exemple.fr': ['v=spf1 include:b.exemple.fr -all'],
      'b.exemple.fr': ['v=spf1 ip6:2001:db8::/32 redirect=a.exemple.fr'],
    });
    const walk = walkSpf('exemple.fr', 'v=spf1 include:a.exemple.fr -all', f);
    const loop = 'include:a.exemple.fr → include:b.exemple.fr → redirect=a.exemple.fr';
    expect(walk.problems).toEqual([
      // ip6 in b can stop IPv6 senders before the redirect: not every sender goes round.
      {
        code: 'redirect-loop',
        term: loop,
        scope: 'reaching-term',
        reach: loop,
        key: `redirect-loop:${loop}`,
      },
    ]);
    expect(walk.lookups).toBe(3);
    // A domain reached twice side by side is no loop (§4.6.4 counts it twice).
    const twice = walkSpf('exemple.fr', 'v=spf1 include:b2.exemple.fr include:b2.exemple.fr -all', {
      ...f,
      included: { 'b2.exemple.fr': ['v=spf1 -all'] },
    });
    expect(twice).toMatchObject({ problems: [], lookups: 2 });
  });

  it('stops at SPF_WALK_MAX_LOOKUPS however the includes multiply', () => {
    // Each level includes the next twice: 2 + 4 + 8 + … terms, cut at the bound.
    const included: Record<string, string[]> = {};
    for (let i = 0; i < 8; i++) {
      included[`n${i}.exemple.fr`] = [
        `v=spf1 include:n${i + 1}.exemple.fr include:n${i + 1}.exemple.fr -all`,
      ];
    }
    included['n8.exemple.fr'] = ['v=spf1 -all'];
    const walk = walkSpf('exemple.fr', 'v=spf1 include:n0.exemple.fr -all', facts(included));
    expect(walk.lookups).toBe(SPF_WALK_MAX_LOOKUPS);
    expect(walk.trail).toHaveLength(SPF_WALK_MAX_LOOKUPS);
  });
});
