import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { playbookReferencesIn, type PlaybookReference, type VigieConfig } from '../../config/index.js';
import {
  InvalidFileError,
  UsageError,
  type CheckMeta,
  type CustomCheck,
  type Issue,
  type Playbook,
} from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import { findPlaybook, loadPlaybookLibrary } from '../../playbooks/index.js';
import { loadCheckLibrary } from './check-library.js';
import type { AppContext } from './context.js';
import { optionalConfig } from './inventory-index.js';
import { CATALOGUE_FILE, SERVICES_FILE } from './load-catalogue.js';

/** playbooks/ at the package root, both from src/ (tsx) and dist/. */
export const PLAYBOOKS_DIR = fileURLToPath(new URL('../../../playbooks/', import.meta.url));

/**
 * An organisation's own copy of the library (`VIGIE_PLAYBOOKS_DIR`, else `configured`: `playbooks.dir`
 * of vigie.yml, as `vigie init` writes it), else the package's playbooks/.
 */
export function defaultPlaybooksDir(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  configured?: string,
): string {
  const dir = env['VIGIE_PLAYBOOKS_DIR'];
  return dir ? path.resolve(cwd, dir) : (configured ?? PLAYBOOKS_DIR);
}

export const playbooksDirOf = (ctx: AppContext): string => ctx.playbooksDir ?? defaultPlaybooksDir();

/** Every check ID vigie knows: the catalogue, one per risky service, and the custom checks. */
export function knownCheckIds(config?: VigieConfig): Set<string> {
  return new Set(loadCheckLibrary(config).catalogue.checks.keys());
}

/** Each check's playbook, as the check states it (`playbook:`): the one place the link is written. */
export function checkPlaybookLinks(checks: Iterable<CheckMeta>): Map<string, string> {
  const links = new Map<string, string>();
  for (const c of checks) if (c.playbook !== undefined) links.set(c.id, c.playbook);
  return links;
}

/**
 * The playbook library of `dir`, validated against the checks vigie knows (InvalidFileError, exit 3);
 * each playbook's triggers derive from the checks that name it.
 */
export function loadPlaybooks(dir: string, config?: VigieConfig): Playbook[] {
  const { checks } = loadCheckLibrary(config).catalogue;
  return loadPlaybookLibrary(dir, {
    checkIds: new Set(checks.keys()),
    checkPlaybooks: checkPlaybookLinks(checks.values()),
  });
}

/** The playbook `id` of the library, or a usage error saying which ones exist. */
export function requirePlaybook(library: readonly Playbook[], id: string): Playbook {
  const playbook = findPlaybook(library, id);
  if (playbook === undefined) {
    throw new UsageError(msg('errlang.playbook.unknown', { id }), {
      hint:
        library.length === 0
          ? msg('errlang.playbook.library-empty')
          : msg('errlang.playbook.see-list', { ids: library.map((p) => p.id).join(', ') }),
    });
  }
  return playbook;
}

/** Where the check data names playbooks: the catalogue, the risky services, the custom checks' files. */
export function checkPlaybookReferences(
  catalogueFile: string,
  customChecks: readonly CustomCheck[],
): PlaybookReference[] {
  const customFiles = [...new Set(customChecks.map((c) => c.file))];
  return [
    ...playbookReferencesIn(catalogueFile, 'checks', 'id'),
    ...playbookReferencesIn(SERVICES_FILE, 'services', 'name'),
    ...customFiles.flatMap((file) => playbookReferencesIn(file, 'checks', 'id')),
  ];
}

/** A check's `playbook:` naming no playbook of the library, each with its file, path and line. */
export function danglingPlaybookReferences(
  refs: readonly PlaybookReference[],
  library: readonly Playbook[],
  dir: string,
): Issue[] {
  const ids = new Set(library.map((p) => p.id));
  return refs
    .filter((r) => !ids.has(r.playbook))
    .map((r) => {
      const text = msg('texts2.playbooks.dangling-reference', { entry: r.entry, playbook: r.playbook, dir });
      return {
        file: r.file,
        path: r.path,
        ...(r.line === undefined ? {} : { line: r.line }),
        message: text.fallback,
        i18n: text,
      };
    });
}

/**
 * Cross-references both ways between the check library and the playbook library of `dir`: every
 * trigger names a known check (the loader checks it) and every check's `playbook:` names an existing
 * playbook. Throws InvalidFileError (exit 3) with every problem.
 */
export function assertPlaybookReferences(opts: {
  dir: string;
  checks: Iterable<CheckMeta>;
  catalogueFile: string;
  customChecks: readonly CustomCheck[];
}): Playbook[] {
  const checks = [...opts.checks];
  const library = loadPlaybookLibrary(opts.dir, {
    checkIds: new Set(checks.map((c) => c.id)),
    checkPlaybooks: checkPlaybookLinks(checks),
  });
  const issues = danglingPlaybookReferences(
    checkPlaybookReferences(opts.catalogueFile, opts.customChecks),
    library,
    opts.dir,
  );
  if (issues.length > 0) {
    throw new InvalidFileError(opts.catalogueFile, issues, {
      hint: msg('errlang.playbook.missing.hint'),
    });
  }
  return library;
}

export interface PlaybookValidation {
  dir: string;
  playbooks: Playbook[];
  /** How many `playbook:` fields of the check data were resolved. */
  references: number;
}

/**
 * `vigie playbook validate`: every playbook of `dir` (front matter, phases, steps, triggers) and
 * every reference to a playbook from the checks (catalogue, services, custom checks of the package
 * and of vigie.yml). Every problem at once, with file, path and line; exit 3.
 */
export function validatePlaybooks(dir?: string, inventoryFile?: string): PlaybookValidation {
  const libraryDir = dir ?? defaultPlaybooksDir();
  const checks = loadCheckLibrary(optionalConfig(inventoryFile));
  const playbooks = assertPlaybookReferences({
    dir: libraryDir,
    checks: checks.catalogue.checks.values(),
    catalogueFile: CATALOGUE_FILE,
    customChecks: checks.customChecks,
  });
  return {
    dir: libraryDir,
    playbooks,
    references: checkPlaybookReferences(CATALOGUE_FILE, checks.customChecks).length,
  };
}
