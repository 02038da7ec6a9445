import type { RecordProblem } from './record-problem.js';

/** One `name=value` of a DNS tag-list record, as published. */
export interface Tag {
  value: string;
  /** The whole `name=value` fragment, trimmed (quoted in problems). */
  raw: string;
}

export interface TagListRules {
  /** Valid tag names. */
  name: RegExp;
  /** Tag names compare case-insensitively (DMARC): they are lower-cased. */
  lowerCaseNames?: boolean;
  /** Names and values as published, without trimming around `=` (RFC 8461 and 8460 allow no spaces). */
  strictSpacing?: boolean;
  /** The `v=` value required first; `optional` when a record may omit it (DKIM). */
  version: { value: string; optional?: boolean };
}

/**
 * Reads a `;`-separated tag-value list (DMARC, DKIM, MTA-STS and TLS-RPT records share the syntax):
 * each tag once, `v=` first with the expected value. Problems: `invalid-tag`, `duplicate-tag`,
 * `version-not-first`, `invalid-version`, `missing-version`.
 */
export function readTagList(
  txt: string,
  rules: TagListRules,
): { tags: Map<string, Tag>; problems: RecordProblem[] } {
  const problems: RecordProblem[] = [];
  const tags = new Map<string, Tag>();
  const parts = txt
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  parts.forEach((raw, index) => {
    const eq = raw.indexOf('=');
    const before = eq < 0 ? '' : raw.slice(0, eq);
    const written = rules.strictSpacing ? before : before.trim();
    const name = rules.lowerCaseNames ? written.toLowerCase() : written;
    if (!rules.name.test(name)) {
      problems.push({ code: 'invalid-tag', term: raw });
      return;
    }
    if (tags.has(name)) {
      problems.push({ code: 'duplicate-tag', term: raw });
      return;
    }
    const after = raw.slice(eq + 1);
    const value = rules.strictSpacing ? after : after.trim();
    tags.set(name, { value, raw });
    if (name === 'v' && index > 0) problems.push({ code: 'version-not-first', term: raw });
    else if (name === 'v' && value !== rules.version.value)
      problems.push({ code: 'invalid-version', term: raw });
  });
  if (!tags.has('v') && !rules.version.optional) problems.push({ code: 'missing-version', term: '' });
  return { tags, problems };
}
