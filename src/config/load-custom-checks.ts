import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidFileError, type CustomCheck, type Issue } from '../domain/index.js';
import { msg } from '../i18n/index.js';
import { buildCustomCheck, templateIssues, type IssueAt } from './custom-check-rules.js';
import { customCheckEntrySchema, customCheckFileSchema } from './custom-check-schema.js';
import { formatPath, type DocumentPath } from './format-path.js';
import { sortByLine, validateWithSchema } from './schema-issues.js';
import { readYamlFile, type YamlSource } from './yaml-source.js';

const HINT = msg('errlang.custom-checks.hint');
const YAML_FILE = /\.ya?ml$/i;

export interface LoadCustomChecksOptions {
  /** IDs of the built-in checks: a custom check may not take one. */
  builtinIds: ReadonlySet<string>;
  /** Directories that may be missing (the package's own `checks/custom/`); any other must exist. */
  optionalDirs?: readonly string[];
}

export interface CustomChecksLoaded {
  checks: CustomCheck[];
  /** The files read, in reading order. */
  files: string[];
}

/**
 * Reads every `*.yaml` / `*.yml` file of the given directories (not their subdirectories; a path
 * naming a YAML file is read as is). Each file holds `version: 1` and `checks: [...]`. Every problem
 * of every file is reported at once — schema, regexes, `send` escapes, ports, ID namespace,
 * collisions with built-in checks and between files, evidence templates, and each case run through
 * the matchers — each with its file, path and line, in one `InvalidFileError` (exit 3).
 */
export function loadCustomChecks(dirs: readonly string[], opts: LoadCustomChecksOptions): CustomChecksLoaded {
  const issues: Issue[] = [];
  const files = listFiles(dirs, opts.optionalDirs ?? [], issues);
  const checks: CustomCheck[] = [];
  const seen = new Map<string, { file: string; line?: number }>();

  for (const file of files) {
    const fileIssues: Issue[] = [];
    for (const { check, line } of readFile(file, fileIssues)) {
      const issue = (message: string): Issue => ({
        file,
        path: check.path,
        ...(line === undefined ? {} : { line }),
        message,
      });
      const first = seen.get(check.id);
      if (opts.builtinIds.has(check.id)) {
        fileIssues.push(issue(`l’identifiant « ${check.id} » est celui d’un contrôle intégré`));
      } else if (first !== undefined) {
        const where = first.file === file ? 'plus haut dans ce fichier' : `dans ${first.file}`;
        const firstLine = first.line === undefined ? '' : ` (ligne ${first.line})`;
        fileIssues.push(issue(`identifiant « ${check.id} » déjà défini ${where}${firstLine}`));
      } else {
        seen.set(check.id, { file, ...(line === undefined ? {} : { line }) });
        if (check.value !== undefined) checks.push(check.value);
      }
    }
    issues.push(...sortByLine(fileIssues));
  }

  if (issues.length > 0) throw new InvalidFileError(dirs.join(', '), issues, { hint: HINT });
  return { checks, files };
}

/** The YAML files to read, in a stable order; a missing or unreadable directory is an issue unless optional. */
function listFiles(dirs: readonly string[], optionalDirs: readonly string[], issues: Issue[]): string[] {
  const optional = new Set(optionalDirs.map((d) => resolve(d)));
  const files: string[] = [];
  const known = new Set<string>();
  const add = (file: string): void => {
    if (known.has(resolve(file))) return;
    known.add(resolve(file));
    files.push(file);
  };
  for (const dir of dirs) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(dir).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && optional.has(resolve(dir))) continue;
      issues.push({
        file: dir,
        path: '',
        message:
          code === 'ENOENT' ? 'répertoire introuvable' : `lecture impossible (${code ?? String(error)})`,
      });
      continue;
    }
    if (!isDirectory) {
      if (YAML_FILE.test(dir)) add(dir);
      else issues.push({ file: dir, path: '', message: 'répertoire ou fichier .yaml/.yml attendu' });
      continue;
    }
    try {
      readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isFile() && YAML_FILE.test(entry.name))
        .map((entry) => entry.name)
        .sort()
        .forEach((name) => add(join(dir, name)));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      issues.push({ file: dir, path: '', message: `lecture impossible (${code ?? String(error)})` });
    }
  }
  return files;
}

interface ReadCheck {
  check: { id: string; path: string; value?: CustomCheck };
  line?: number;
}

/**
 * The checks of one file, each with its ID (for collisions) and, when it is valid, its value.
 * Problems go to `issues`; each check is validated on its own so one bad check hides no other.
 */
function readFile(file: string, issues: Issue[]): ReadCheck[] {
  let source: YamlSource;
  try {
    source = readYamlFile(file);
  } catch (error) {
    if (!(error instanceof InvalidFileError)) throw error;
    issues.push(...error.issues.map((i) => ({ ...i, file })));
    return [];
  }
  if (source.value === null || source.value === undefined) {
    issues.push({ file, path: '', message: 'fichier vide : « version: 1 » et « checks: » attendus' });
    return [];
  }
  issues.push(...validateWithSchema(customCheckFileSchema, source).issues.map((i) => ({ ...i, file })));
  const raw = (source.value as { checks?: unknown }).checks;
  if (!Array.isArray(raw)) return [];

  const read: ReadCheck[] = [];
  raw.forEach((entry: unknown, index) => {
    const prefix: DocumentPath = ['checks', index];
    const entrySource: YamlSource = { value: entry, lineOf: (path) => source.lineOf([...prefix, ...path]) };
    const at = (path: DocumentPath, message: string): Issue => {
      const line = source.lineOf([...prefix, ...path]);
      return {
        file,
        path: formatPath([...prefix, ...path]),
        ...(line === undefined ? {} : { line }),
        message,
      };
    };
    const result = validateWithSchema(customCheckEntrySchema, entrySource);
    issues.push(...result.issues.map((i) => ({ ...i, file, path: joinPath(formatPath(prefix), i.path) })));
    const id = (entry as { id?: unknown } | null)?.id;
    const idLine = source.lineOf([...prefix, 'id']);
    const built = result.data === undefined ? undefined : buildCustomCheck(result.data, file, at);
    if (built !== undefined) issues.push(...built.issues);
    else issues.push(...rawTemplateIssues(entry, at));
    if (typeof id === 'string')
      read.push({
        check: {
          id,
          path: formatPath([...prefix, 'id']),
          ...(built?.check === undefined ? {} : { value: built.check }),
        },
        ...(idLine === undefined ? {} : { line: idLine }),
      });
  });
  return read;
}

/** `checks[2]` + `http.matchers[0]` → `checks[2].http.matchers[0]`. */
function joinPath(prefix: string, path: string): string {
  if (path === '') return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

/** The template rules on a check the schema refused, when its templates are readable. */
function rawTemplateIssues(entry: unknown, at: IssueAt): Issue[] {
  const e = (entry ?? {}) as { evidence?: { fr?: unknown; en?: unknown }; http?: unknown; tcp?: unknown };
  const { fr, en } = e.evidence ?? {};
  if (typeof fr !== 'string' || typeof en !== 'string') return [];
  const kind =
    e.http !== undefined && e.tcp === undefined
      ? 'http'
      : e.tcp !== undefined && e.http === undefined
        ? 'tcp'
        : undefined;
  return templateIssues({ fr, en }, kind, at);
}
