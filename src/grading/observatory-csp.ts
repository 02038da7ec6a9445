/**
 * The HTTP Observatory's reading of Content-Security-Policy (src/analyzer/cspParser.js of
 * mdn/mdn-http-observatory, revision named in http-grade.ts), written again for vigie: its results
 * must be the Observatory's for the same policies, quirks included. Pure; no I/O.
 */

/** A parsed policy set: directive → sources (lower-cased); `'none'` when nothing is left. */
export type ObservatoryCsp = Map<string, Set<string>>;

/**
 * Entry recording the directives repeated in one policy (only `report-uri` and `report-to` may be).
 * Kept in the map like the Observatory does (it counts in the map's size and among the sources
 * scanned for insecure schemes); the space makes it impossible as a directive name.
 */
export const DUPLICATES_KEY = ' duplicate-directives';

/** The shortest policy accepted: one character less than `img-src`. */
const SHORTEST_POLICY = 'img-src'.length - 1;
const ALLOWED_DUPLICATES = new Set(['report-uri', 'report-to']);
const compare = new Intl.Collator('en').compare;

interface Source {
  source: string;
  /** Which policy of the list it comes from. */
  index: number;
  keep: boolean;
}

class InvalidPolicy extends Error {}

/**
 * Whether source `b` lies within source `a` read as paths: equal segment by segment (percent-
 * decoded), or below `a` when `a` ends with a slash. A malformed escape throws (URIError), which
 * the Observatory lets invalidate the whole header.
 */
function pathPartMatch(a: string, b: string): boolean {
  if (a.length === 0) return true;
  if (a === '/' && b.length === 0) return true;
  const exact = !a.endsWith('/');
  const partsA = a.split('/');
  const partsB = b.split('/');
  if (partsA.length > partsB.length) return false;
  if (exact && partsA.length !== partsB.length) return false;
  if (!exact) partsA.pop();
  return partsA.every((part, i) => {
    const other = partsB[i];
    return other !== undefined && decodeURIComponent(part) === decodeURIComponent(other);
  });
}

/**
 * Parses a list of policies (already split on commas) and merges them the Observatory's way: the
 * first policy's sources are kept, less those made superfluous by a shorter source of the same
 * policy that they start with; a later policy keeps a directive's source only when it matches one
 * the earlier policies kept; a directive that a later policy introduces keeps nothing. A directive
 * left without sources becomes `'none'`, as does an empty `*-src`.
 * Returns `undefined` for what the Observatory calls an invalid header: an empty or too short
 * policy, a directive repeated within one policy (other than `report-uri` / `report-to`), a
 * malformed percent escape met while merging.
 */
export function parseObservatoryCsp(policies: readonly string[]): ObservatoryCsp | undefined {
  try {
    return parse(policies);
  } catch (err) {
    if (err instanceof InvalidPolicy || err instanceof URIError) return undefined;
    throw err;
  }
}

function parse(policies: readonly string[]): ObservatoryCsp {
  const clean = policies.map((p) => p.replace(/[\r\n]/g, '').trim());
  if (clean.length === 0) return new Map();
  if (clean.some((p) => p.length < SHORTEST_POLICY)) throw new InvalidPolicy();

  const csp = new Map<string, Source[]>();
  const duplicates = new Set<string>();
  clean.forEach((policy, index) => {
    const seen = new Set<string>();
    for (const entry of policy.split(';')) {
      const [rawName, ...rawSources] = entry.trim().split(/\s+/);
      if (!rawName) continue;
      const name = rawName.toLowerCase();
      if (seen.has(name)) {
        if (!ALLOWED_DUPLICATES.has(name)) throw new InvalidPolicy();
        duplicates.add(name);
      } else {
        seen.add(name);
      }
      const keep = index === 0;
      const values: Source[] =
        rawSources.length > 0
          ? rawSources.map((s) => ({ source: s.trim().toLocaleLowerCase(), index, keep }))
          : name.endsWith('-src')
            ? [{ source: "'none'", index, keep }]
            : [];
      const combined = index === 0 ? [...values] : [...(csp.get(name) ?? []), ...values];
      combined.sort((x, y) => compare(x.source, y.source));
      for (let i = 1; i < combined.length; i++) {
        const current = combined[i];
        const previous = combined[i - 1];
        if (!current || !previous) continue;
        if (current.index === previous.index && current.source.startsWith(previous.source)) {
          current.keep = false;
        }
        if (current.index !== previous.index && pathPartMatch(previous.source, current.source)) {
          current.keep = true;
        }
      }
      const kept = combined.filter((s) => s.keep);
      csp.set(name, kept);
      // With more policies to come, the first policy's sources must be matched again to stay.
      if (index === 0 && clean.length > 1) for (const s of kept) s.keep = false;
    }
  });

  const result: ObservatoryCsp = new Map(
    [...csp].map(([name, sources]) => [
      name,
      sources.length > 0 ? new Set(sources.map((s) => s.source)) : new Set(["'none'"]),
    ]),
  );
  if (duplicates.size > 0) result.set(DUPLICATES_KEY, duplicates);
  return result;
}
