import GithubSlugger from 'github-slugger';

/** A place a Markdown file points to: a link target, or a repository path written in backticks. */
export interface Citation {
  kind: 'link' | 'path';
  /** As written (link target, or the text between backticks). */
  target: string;
  line: number;
}

/** Top-level folders whose paths, written in backticks, name a file of this repository. */
export const REPOSITORY_FOLDERS = [
  'src',
  'docs',
  'checks',
  'playbooks',
  'scripts',
  'bench',
  'test',
  'contrib',
  'examples',
  'schemas',
  'fuzz',
  'bin',
  'assets',
  '.ci',
] as const;

const REPOSITORY_PATH = new RegExp(
  `^(?:${REPOSITORY_FOLDERS.map((f) => f.replace('.', '\\.')).join('|')})/[^\\s]*$`,
);

/** Lines of a Markdown text, with fenced code blocks blanked out (their content is not prose). */
function proseLines(text: string): string[] {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marker !== undefined) {
      fence = marker;
      return '';
    }
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return '';
    }
    return line;
  });
}

/** Inline code spans of one line: their text, and the line with them blanked out. */
function codeSpans(line: string): { spans: string[]; rest: string } {
  const spans: string[] = [];
  const rest = line.replace(/(`+)(.+?)\1(?!`)/g, (_m, ticks: string, body: string) => {
    spans.push(body.trim());
    return ' '.repeat(ticks.length * 2 + body.length);
  });
  return { spans, rest };
}

/** Link targets written `[text](target)`, `![alt](target "title")`, `<a href="target">` or `[label]: target`. */
function linkTargets(line: string): string[] {
  const targets: string[] = [];
  for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1] ?? '');
  for (const m of line.matchAll(/<a\s[^>]*href="([^"]+)"/g)) targets.push(m[1] ?? '');
  const definition = /^\s{0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s|$)/.exec(line);
  if (definition) targets.push(definition[1] ?? '');
  return targets;
}

/** Every relative link and every backticked repository path of a Markdown text. */
export function citationsOf(text: string): Citation[] {
  const out: Citation[] = [];
  proseLines(text).forEach((line, index) => {
    const { spans, rest } = codeSpans(line);
    for (const span of spans) {
      if (REPOSITORY_PATH.test(span)) out.push({ kind: 'path', target: span, line: index + 1 });
    }
    // Code spans are blanked out of `rest`, so `[\`docs/x.md\`](docs/x.md)` keeps its target and a
    // link written inside backticks is not one.
    for (const target of linkTargets(rest)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: … : not a file of ours
      out.push({ kind: 'link', target, line: index + 1 });
    }
  });
  return out;
}

/** The anchors GitHub gives the headings of a Markdown text (and its explicit `<a id>` / `<a name>`). */
export function anchorsOf(text: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  for (const line of proseLines(text)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      // What GitHub renders: the text of links and code, without the Markdown around it.
      const rendered = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '');
      anchors.add(slugger.slug(rendered));
    }
    for (const m of line.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) anchors.add(m[1] ?? '');
  }
  return anchors;
}

/** A path written with a placeholder (`<target>`, `{name}`, `…`) or a glob: the literal part before it. */
export function literalPrefix(target: string): { prefix: string; glob: boolean; placeholder: boolean } {
  const at = target.search(/[<{…[]/);
  const placeholder = at >= 0;
  const literal = placeholder ? target.slice(0, at) : target;
  return { prefix: literal, glob: literal.includes('*'), placeholder };
}

/** A glob of `*` (one path segment) and `**` (any depth) as a regular expression. */
export function globRegExp(glob: string): RegExp {
  const body = glob
    .split(/(\*\*\/?|\*)/)
    .map((part) =>
      part === '**' || part === '**/'
        ? '(?:.*/)?'
        : part === '*'
          ? '[^/]*'
          : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${body}`);
}
