import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  anchorsOf,
  citationsOf,
  globRegExp,
  literalPrefix,
  type Citation,
} from '../helpers/markdown-citations.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const git = (args: string[], input?: string): string =>
  execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', ...(input === undefined ? {} : { input }) });

/**
 * The files of the repository: tracked, plus new files not ignored (what the next commit may hold),
 * minus those deleted from the work tree. An ignored file (a report, .vigie/) is not the repository's.
 */
const FILES = git(['ls-files', '--cached', '--others', '--exclude-standard', '-z'])
  .split('\0')
  .filter((f) => f !== '' && fs.existsSync(path.join(ROOT, f)));
const FILE_SET = new Set(FILES);
const DIRS = new Set(
  FILES.flatMap((f) => {
    const parts = f.split('/');
    return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
  }),
);
const MARKDOWN = FILES.filter((f) => f.endsWith('.md'));

/** Paths git ignores: output locations (fuzz/findings/, .vigie/) a page may name, never files it cites. */
function ignored(paths: readonly string[]): Set<string> {
  if (paths.length === 0) return new Set();
  try {
    return new Set(git(['check-ignore', '--no-index', '--stdin'], paths.join('\n')).split('\n'));
  } catch {
    return new Set(); // exit 1: none is ignored
  }
}

const inRepository = (p: string): boolean => {
  const clean = p.replace(/\/+$/, '');
  return FILE_SET.has(clean) || DIRS.has(clean);
};

/** What is wrong with a citation of `file`, or undefined when it names a file of the repository. */
function problem(file: string, c: Citation, texts: Map<string, string>): string | undefined {
  if (c.kind === 'path') {
    // `src/x.ts:42` names a line of the file.
    const target = c.target.replace(/:\d+(?:-\d+)?$/, '').replace(/#.*$/, '');
    const { prefix, glob, placeholder } = literalPrefix(target);
    if (glob) {
      const re = globRegExp(prefix);
      return FILES.some((f) => re.test(f)) ? undefined : 'aucun fichier ne correspond';
    }
    if (placeholder) {
      const dir = prefix.slice(0, prefix.lastIndexOf('/'));
      return dir === '' || inRepository(dir) ? undefined : `pas de répertoire ${dir}/`;
    }
    return inRepository(target) ? undefined : 'absent du dépôt';
  }
  const [rawPath = '', anchor] = c.target.split('#', 2);
  const decoded = decodeURIComponent(rawPath.replace(/\?.*$/, ''));
  const resolved =
    decoded === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decoded));
  if (resolved.startsWith('../') || path.posix.isAbsolute(resolved)) return 'hors du dépôt';
  if (!inRepository(resolved)) return `${resolved} : absent du dépôt`;
  if (anchor !== undefined && anchor !== '' && resolved.endsWith('.md')) {
    const text = texts.get(resolved) ?? fs.readFileSync(path.join(ROOT, resolved), 'utf8');
    if (!anchorsOf(text).has(anchor)) return `${resolved} n’a pas d’ancre #${anchor}`;
  }
  return undefined;
}

describe('what the Markdown files of the repository cite', () => {
  it('finds the Markdown files (tracked and new)', () => {
    expect(MARKDOWN).toEqual(expect.arrayContaining(['README.md', 'docs/commands.md', 'checks/README.md']));
  });

  it('every relative link and every backticked repository path names a file of the repository', () => {
    const texts = new Map(MARKDOWN.map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf8')]));
    const found = MARKDOWN.flatMap((file) =>
      citationsOf(texts.get(file) ?? '').map((c) => ({ file, c, why: problem(file, c, texts) })),
    );
    const broken = found.filter((x) => x.why !== undefined);
    // An ignored output location (`fuzz/findings/`) is named, not cited.
    const outputs = ignored(broken.filter((x) => x.c.kind === 'path').map((x) => x.c.target));
    const report = broken
      .filter((x) => !(x.c.kind === 'path' && outputs.has(x.c.target)))
      .map(
        (x) =>
          `${x.file}:${x.c.line} ${x.c.kind === 'link' ? 'lien' : 'chemin'} « ${x.c.target} » : ${x.why}`,
      );
    expect(report).toEqual([]);
    // The check has something to check: the README links to docs/.
    expect(found.filter((x) => x.file === 'README.md' && x.c.kind === 'link').length).toBeGreaterThan(5);
  });
});

describe('the citation reader', () => {
  it('reads links, reference definitions and backticked paths, but not code blocks or code spans', () => {
    const text = [
      '# Titre `code`',
      'Voir [la page](docs/x.md#titre), ![img](assets/a.png "t") et [GitHub](https://github.com/a/b).',
      '[ref]: ../checks/README.md',
      'Le fichier `src/app/index.ts`, le motif `checks/custom/*.yaml`, la commande `npm test`, `[a](b.md)`.',
      '```sh',
      'cat `src/absent.ts` [x](absent.md)',
      '```',
    ].join('\n');
    expect(citationsOf(text).map((c) => [c.kind, c.target, c.line])).toEqual([
      ['link', 'docs/x.md#titre', 2],
      ['link', 'assets/a.png', 2],
      ['link', '../checks/README.md', 3],
      ['path', 'src/app/index.ts', 4],
      ['path', 'checks/custom/*.yaml', 4],
    ]);
  });

  it('gives headings the anchors GitHub gives them, duplicates numbered', () => {
    const anchors = anchorsOf('## `vigie scan [TARGETS]`\n## Codes de sortie\n## Codes de sortie\n');
    expect([...anchors]).toEqual(['vigie-scan-targets', 'codes-de-sortie', 'codes-de-sortie-1']);
  });
});
