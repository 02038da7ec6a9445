/**
 * Walks an SPF policy the way a receiver evaluates it (RFC 7208 §4.6, §5, §6.1), over DNS facts
 * gathered beforehand. Pure: the probe fetches what `missing` and `questions` ask for, then walks again.
 *
 * What the walk judges, each with who it hits (every sender, or those whose evaluation reaches a term):
 * syntax errors of included and redirected records, include/redirect loops, void lookups beyond two
 * (§4.6.4), `mx` terms whose MX set has more than 10 records (§4.6.4), targets without an SPF record.
 */
import type { SpfTargetAnswer, SpfTargetQuestion } from './dns.js';
import { isSpfRecord, parseSpf, spfDomainSpec, SPF_LOOKUP_LIMIT, type SpfTerm } from './spf.js';

/** Beyond this many counted terms the walk stops: the limit of 10 is long exceeded. */
export const SPF_WALK_MAX_LOOKUPS = 30;
/** RFC 7208 §4.6.4: more void lookups than this is a permanent error. */
export const SPF_VOID_LOOKUP_LIMIT = 2;
/** RFC 7208 §4.6.4: an `mx` term whose MX set holds more records than this is a permanent error. */
export const SPF_MX_LIMIT = 10;

/** The address family of the sending client: `a` asks A for IPv4 clients, AAAA for IPv6 ones (§5.3). */
export type SpfFamily = 'ipv4' | 'ipv6';
const FAMILIES: readonly SpfFamily[] = ['ipv4', 'ipv6'];

/**
 * Who a permanent error hits: every sender (of a family), or the senders whose evaluation reaches
 * `reach` (they matched none of the mechanisms before it).
 */
export type SpfScope =
  | 'every-sender'
  | 'reaching-term'
  | 'every-ipv4-sender'
  | 'every-ipv6-sender'
  | 'ipv4-reaching-term'
  | 'ipv6-reaching-term';

/** What the walk reads: the TXT records of include/redirect targets, and the answers to target questions. */
export interface SpfFacts {
  included: Readonly<Record<string, readonly string[]>>;
  targets: Partial<Record<SpfTargetQuestion, SpfTargetAnswer>>;
}

/** A permanent error found by the walk. */
export interface SpfWalkProblem {
  /** `include-loop`, `redirect-loop`, `void-lookups`, `too-many-mx`, `include-without-spf`, or a syntax code. */
  code: string;
  /** What is at fault, after the terms followed from the apex: `include:a → include:b → xyz`. */
  term: string;
  scope: SpfScope;
  /** The term (after the terms followed from the apex) whose senders are hit, unless every sender is. */
  reach?: string;
  /** Stable identity of the problem on its domain. */
  key: string;
}

export interface SpfWalk {
  /** DNS-querying terms counted, up to SPF_WALK_MAX_LOOKUPS. */
  lookups: number;
  /** Each counted term with the record holding it, e.g. `exemple.fr: include:_spf.prestataire.fr`. */
  trail: string[];
  /** Include/redirect targets with no SPF record, or several. */
  brokenIncludes: string[];
  /** The first include/redirect target, in evaluation order, whose TXT records the facts lack. */
  missing?: string;
  /** Target questions of the `a`, `mx` and `exists` terms among the first 10 lookups that the facts lack. */
  questions: SpfTargetQuestion[];
  problems: SpfWalkProblem[];
  /** Questions that could not be answered although a verdict (void lookups, MX set size) depends on them. */
  unresolved: SpfTargetQuestion[];
}

type Reach = Record<SpfFamily, 'every' | 'some'>;

/** A DNS-querying term as a receiver meets it. */
interface Visit {
  owner: string;
  term: SpfTerm;
  /** Terms followed from the apex to the record holding this one. */
  via: readonly string[];
  reach: Reach;
  /** Position among the counted terms (0 for the first). */
  index: number;
  /** The term has a syntax error (its record is a permanent error already). */
  invalid: boolean;
  /** Target name (lower-case, no trailing dot); undefined when it holds a macro or is invalid. */
  target?: string;
}

const normalise = (name: string): string => name.toLowerCase().replace(/\.$/, '');
const pathOf = (via: readonly string[], last: string): string => [...via, last].join(' → ');

/** The scope of a problem both families meet at the same term. */
function sharedScope(reach: Reach): SpfScope {
  return reach.ipv4 === 'every' && reach.ipv6 === 'every' ? 'every-sender' : 'reaching-term';
}

function familyScope(family: SpfFamily, reach: Reach): SpfScope {
  return reach[family] === 'every' ? `every-${family}-sender` : `${family}-reaching-term`;
}

const withReach = (scope: SpfScope, reach: string) =>
  scope.startsWith('every') ? { scope } : { scope, reach };

/** The questions a target term asks: `a` both families' addresses, `mx` the MX set, `exists` an A (§5.7). */
function questionsOf(v: Pick<Visit, 'term' | 'target' | 'invalid'>): SpfTargetQuestion[] {
  if (v.target === undefined || v.invalid) return [];
  if (v.term.name === 'a') return [`A ${v.target}`, `AAAA ${v.target}`];
  if (v.term.name === 'mx') return [`MX ${v.target}`];
  if (v.term.name === 'exists') return [`A ${v.target}`];
  return [];
}

/** The question that tells whether the term's lookup is void for senders of `family`. */
function voidQuestion(v: Pick<Visit, 'term' | 'target' | 'invalid'>, family: SpfFamily) {
  return questionsOf(v)[v.term.name === 'a' && family === 'ipv6' ? 1 : 0];
}

/**
 * Walks the apex record `record` of `domain` depth first, as evaluated (§4.6.4: includes inline,
 * redirect last), counting lookups and judging what receivers would treat as a permanent error.
 */
export function walkSpf(domain: string, record: string, facts: SpfFacts): SpfWalk {
  const walk: SpfWalk = {
    lookups: 0,
    trail: [],
    brokenIncludes: [],
    questions: [],
    problems: [],
    unresolved: [],
  };
  const visits: Visit[] = [];
  const reportedRecords = new Set<string>();
  let stopped = false;

  /** Whether the term can match some sender of `family` (void terms and the other family's ip* cannot). */
  const canMatch = (v: Pick<Visit, 'term' | 'target' | 'invalid'>, family: SpfFamily): boolean => {
    const { name } = v.term;
    if (name === 'ip4') return family === 'ipv4';
    if (name === 'ip6') return family === 'ipv6';
    if (name !== 'a' && name !== 'mx' && name !== 'exists') return true;
    const q = voidQuestion(v, family);
    const answer = q === undefined ? undefined : facts.targets[q];
    return !(answer?.status === 'answered' && answer.count === 0);
  };

  const visit = (
    owner: string,
    text: string,
    via: readonly string[],
    reach: Reach,
    stack: Set<string>,
  ): void => {
    const parsed = parseSpf(text);
    const invalid = new Set(parsed.problems.map((p) => p.term));
    const current: Reach = { ...reach };
    const firstAll = parsed.terms.findIndex((t) => t.kind === 'mechanism' && t.name === 'all');
    const mechanisms = parsed.terms.filter(
      (t, i) => t.kind === 'mechanism' && (firstAll < 0 || i < firstAll),
    );
    const redirect = parsed.lookupTerms.find((t) => t.kind === 'modifier');
    for (const term of redirect ? [...mechanisms, redirect] : mechanisms) {
      const domainSpec = spfDomainSpec(term) ?? (term.name === 'a' || term.name === 'mx' ? owner : undefined);
      const target = domainSpec === undefined || domainSpec.includes('%') ? undefined : normalise(domainSpec);
      const counted = parsed.lookupTerms.includes(term);
      const v: Visit = {
        owner,
        term,
        via,
        reach: { ...current },
        index: walk.lookups,
        invalid: invalid.has(term.raw),
        ...(target === undefined || invalid.has(term.raw) ? {} : { target }),
      };
      if (counted) {
        if (walk.lookups >= SPF_WALK_MAX_LOOKUPS) {
          stopped = true;
          return;
        }
        walk.lookups += 1;
        walk.trail.push(`${owner}: ${term.raw}`);
        visits.push(v);
        if ((term.name === 'include' || term.name === 'redirect') && v.target !== undefined) {
          const name = v.target;
          const here = pathOf(via, term.raw);
          if (stack.has(name)) {
            walk.problems.push({
              code: `${term.name}-loop`,
              term: here,
              ...withReach(sharedScope(v.reach), here),
              key: `${term.name}-loop:${here}`,
            });
            continue;
          }
          const txts = facts.included[name];
          if (txts === undefined) {
            walk.missing = name;
            stopped = true;
            return;
          }
          const spf = txts.filter(isSpfRecord);
          if (spf.length !== 1) {
            walk.brokenIncludes.push(name);
            const fault = pathOf(via, name);
            walk.problems.push({
              code: 'include-without-spf',
              term: fault,
              ...withReach(sharedScope(v.reach), here),
              key: `include-without-spf:${fault}`,
            });
            continue;
          }
          const inner = spf[0]!;
          if (!reportedRecords.has(name)) {
            reportedRecords.add(name);
            for (const p of parseSpf(inner).problems) {
              const fault = pathOf([...via, term.raw], p.term);
              walk.problems.push({
                code: p.code,
                term: fault,
                ...withReach(sharedScope(v.reach), here),
                key: `${p.code}:${fault}`,
              });
            }
          }
          stack.add(name);
          visit(name, inner, [...via, term.raw], v.reach, stack);
          stack.delete(name);
          if (stopped) return;
        }
      }
      for (const family of FAMILIES) if (canMatch(v, family)) current[family] = 'some';
    }
  };

  visit(normalise(domain), record, [], { ipv4: 'every', ipv6: 'every' }, new Set([normalise(domain)]));
  if (walk.missing !== undefined) return walk;

  // Receivers stop at the 11th lookup (a permanent error of its own): only the first 10 are asked.
  const evaluated = visits.filter((v) => v.index < SPF_LOOKUP_LIMIT);
  const asked = new Set<SpfTargetQuestion>();
  for (const q of evaluated.flatMap(questionsOf)) {
    if (facts.targets[q] === undefined && !asked.has(q)) walk.questions.push(q);
    asked.add(q);
  }
  if (walk.questions.length > 0) return walk;

  judgeMxSets(evaluated, facts, walk);
  judgeVoidLookups(evaluated, facts, walk);
  walk.unresolved = [...new Set(walk.unresolved)];
  return walk;
}

/** §4.6.4: an `mx` term whose MX set has more than 10 records is a permanent error. */
function judgeMxSets(evaluated: readonly Visit[], facts: SpfFacts, walk: SpfWalk): void {
  for (const v of evaluated) {
    if (v.term.name !== 'mx') continue;
    const q = questionsOf(v)[0];
    const answer = q === undefined ? undefined : facts.targets[q];
    if (answer?.status === 'error' && q !== undefined) walk.unresolved.push(q);
    if (answer?.status !== 'answered' || answer.count <= SPF_MX_LIMIT) continue;
    const here = pathOf(v.via, v.term.raw);
    walk.problems.push({
      code: 'too-many-mx',
      term: `${here} (${answer.count} MX)`,
      ...withReach(sharedScope(v.reach), here),
      key: `too-many-mx:${here}`,
    });
  }
}

type VoidCount =
  | { kind: 'exceeded'; voids: Visit[]; at: Visit }
  | { kind: 'unknown'; questions: SpfTargetQuestion[] }
  | { kind: 'within' };

/** §4.6.4: the third void lookup met by senders of `family` (a term answered NXDOMAIN or empty). */
function countVoids(evaluated: readonly Visit[], facts: SpfFacts, family: SpfFamily): VoidCount {
  const voids: Visit[] = [];
  const unknown: SpfTargetQuestion[] = [];
  for (const v of evaluated) {
    if (v.invalid || v.target === undefined) continue;
    let isVoid: boolean | undefined;
    if (v.term.name === 'include' || v.term.name === 'redirect') {
      const txts = facts.included[v.target];
      isVoid = txts === undefined ? false : txts.length === 0;
    } else {
      const q = voidQuestion(v, family);
      if (q === undefined) continue;
      const answer = facts.targets[q];
      if (answer?.status === 'answered') isVoid = answer.count === 0;
      else unknown.push(q);
    }
    if (isVoid !== true) continue;
    voids.push(v);
    if (voids.length > SPF_VOID_LOOKUP_LIMIT) return { kind: 'exceeded', voids, at: v };
  }
  // Unanswered questions matter only when, all void, they would cross the limit.
  return voids.length + unknown.length > SPF_VOID_LOOKUP_LIMIT
    ? { kind: 'unknown', questions: unknown }
    : { kind: 'within' };
}

function judgeVoidLookups(evaluated: readonly Visit[], facts: SpfFacts, walk: SpfWalk): void {
  const counts = FAMILIES.map((family) => ({ family, count: countVoids(evaluated, facts, family) }));
  const termsOf = (voids: readonly Visit[]) => voids.map((v) => pathOf(v.via, v.term.raw)).join(' ; ');
  const [v4, v6] = counts.map((c) => c.count);
  if (v4?.kind === 'exceeded' && v6?.kind === 'exceeded' && termsOf(v4.voids) === termsOf(v6.voids)) {
    walk.problems.push({
      code: 'void-lookups',
      term: termsOf(v4.voids),
      ...withReach(sharedScope(v4.at.reach), pathOf(v4.at.via, v4.at.term.raw)),
      key: 'void-lookups',
    });
    return;
  }
  for (const { family, count } of counts) {
    if (count.kind === 'unknown') walk.unresolved.push(...count.questions);
    if (count.kind !== 'exceeded') continue;
    walk.problems.push({
      code: 'void-lookups',
      term: termsOf(count.voids),
      ...withReach(familyScope(family, count.at.reach), pathOf(count.at.via, count.at.term.raw)),
      key: `void-lookups:${family}`,
    });
  }
}
