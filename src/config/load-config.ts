import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidFileError, textIssue } from '../domain/index.js';
import type { Issue } from '../domain/index.js';
import { msg } from '../i18n/index.js';
import { ConfigNotFoundError } from './errors.js';
import { formatPath } from './format-path.js';
import { assetSchema, vigieConfigSchema } from './schema.js';
import type { VigieConfig } from './schema.js';
import { transportSecurityIssues } from './transport-security.js';
import { duplicateAssetIdIssues } from './unique-asset-ids.js';
import { sortByLine, validateWithSchema } from './schema-issues.js';
import { parseYamlDocument, readBoundedText } from './yaml-source.js';
import type { ItemTaker, YamlSource } from './yaml-source.js';

const HINT = msg('errlang.config.hint');

/** Keys that would hold a secret: refused, with the environment variable to use instead. */
const SECRET_KEYS: Record<string, Record<string, string>> = {
  mail: { password: 'VIGIE_SMTP_PASSWORD', pass: 'VIGIE_SMTP_PASSWORD' },
  github: { token: 'VIGIE_GITHUB_TOKEN' },
};

/**
 * Reads and validates `vigie.yml` (refused unread beyond YAML_LIMITS.maxBytes). Every problem is reported at once in an `InvalidFileError`, each
 * with its path and line; a missing file is a `ConfigNotFoundError`. Defaults are applied and
 * `trust.caFiles` and `checks.custom` come back as absolute paths (relative ones are taken from the
 * file's directory), and so does `playbooks.dir`.
 */
export function loadConfig(file: string): VigieConfig {
  const text = readConfigText(file);
  if (keepValidated && lastValidated?.file === file && lastValidated.text === text)
    return lastValidated.config;
  const config = parseConfig(text, file);
  if (keepValidated) {
    lastValidated = { file, text, config };
  }
  return config;
}

/** Whether `loadConfig` keeps the last validated file (a long-lived worker: one validation per change). */
let keepValidated = false;
let lastValidated: { file: string; text: string; config: VigieConfig } | undefined;

/**
 * From now on, `loadConfig` answers with the configuration already validated while the file's text
 * is the same (a worker takes thousands of jobs on one vigie.yml; 50 000 assets take seconds to
 * validate). The file is still read each time: a change is seen at the next job.
 */
export function keepValidatedConfig(): void {
  keepValidated = true;
}

function readConfigText(file: string): string {
  let text: string;
  try {
    text = readBoundedText(file);
  } catch (error) {
    if (error instanceof InvalidFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigNotFoundError(file, { cause: error });
    throw new InvalidFileError(file, [
      { path: '', message: `lecture impossible (${code ?? String(error)})` },
    ]);
  }
  return text;
}

/** The last document parsed: the CLI reads vigie.yml twice (its settings, then the command's work). */
let lastParsed: { file: string; text: string; source: YamlSource } | undefined;

/**
 * Each asset validated as it is read: a large inventory's assets as written then never all live beside
 * their validated form (ADR 0033). An asset that does not pass leaves them all as written, and the
 * whole file is validated at once, every problem worded as before.
 */
const ASSET_ITEMS: ItemTaker = {
  key: 'assets',
  take: (item) => {
    const result = assetSchema.safeParse(item);
    return result.success ? result.data : undefined;
  },
};

function parseOnce(text: string, file: string): YamlSource {
  if (lastParsed?.file === file && lastParsed.text === text) return lastParsed.source;
  const source = parseYamlDocument(text, file, ASSET_ITEMS);
  lastParsed = { file, text, source };
  return source;
}

/** What every command takes from vigie.yml before its own work: read, not validated. */
export interface ConfigHints {
  language?: 'fr' | 'en';
  /** `playbooks.dir`, absolute. */
  playbooksDir?: string;
  /** `store.url` as written (validated by the command that loads the file). */
  storeUrl?: string;
}

/**
 * The organisation's language and playbook library, read from `vigie.yml` without validating the
 * rest (the command that needs the file validates it, and words its problems in that language).
 * Nothing when the file is missing or does not parse.
 */
export function readConfigHints(file: string): ConfigHints {
  let source: YamlSource;
  try {
    source = parseOnce(readBoundedText(file), file);
  } catch {
    return {};
  }
  const root = source.value as {
    organisation?: { language?: unknown };
    playbooks?: { dir?: unknown };
    store?: { url?: unknown };
  } | null;
  const language = root?.organisation?.language;
  const dir = root?.playbooks?.dir;
  const storeUrl = root?.store?.url;
  return {
    ...(typeof storeUrl === 'string' && storeUrl !== '' ? { storeUrl } : {}),
    ...(language === 'fr' || language === 'en' ? { language } : {}),
    ...(typeof dir === 'string' && dir !== '' ? { playbooksDir: resolve(dirname(resolve(file)), dir) } : {}),
  };
}

/** Validates the text of a `vigie.yml`; `file` names it in messages and anchors relative paths. */
export function parseConfig(text: string, file: string): VigieConfig {
  const source = parseOnce(text, file);
  try {
    return configFromSource(source, file);
  } finally {
    // Validated (or refused): the parsed document — the text, its plain value as written, and the
    // positioned syntax tree if a problem was located — is no longer needed. Kept, it would stay
    // alive beside the configuration for the whole command (50 MB for 50 000 assets).
    if (lastParsed?.source === source) lastParsed = undefined;
  }
}

/** The configuration a parsed `vigie.yml` gives (exported for the test that compares both ways of validating). */
export function configFromSource(source: YamlSource, file: string): VigieConfig {
  const baseDir = dirname(resolve(file));
  if (source.value === null || source.value === undefined) {
    throw new InvalidFileError(file, [textIssue('', msg('errlang.config.empty'))]);
  }

  const result = validateDocument(source);
  const issues: Issue[] = [...result.issues];
  issues.push(...duplicateAssetIdIssues(source.value, source.lineOf));
  issues.push(...missingCaFileIssues(source, baseDir));
  issues.push(...transportSecurityIssues(source));
  issues.push(...missingPlaybooksDirIssues(source, baseDir));

  const config = result.data;
  if (config === undefined || issues.length > 0)
    throw new InvalidFileError(file, sortByLine(issues), { hint: HINT });
  return {
    ...config,
    trust: { ...config.trust, caFiles: config.trust.caFiles.map((f) => resolve(baseDir, f)) },
    ...(config.checks === undefined
      ? {}
      : { checks: { custom: config.checks.custom.map((d) => resolve(baseDir, d)) } }),
    ...(config.playbooks === undefined ? {} : { playbooks: { dir: resolve(baseDir, config.playbooks.dir) } }),
    ...(config.discovery?.wordlist === undefined
      ? {}
      : { discovery: { ...config.discovery, wordlist: resolve(baseDir, config.discovery.wordlist) } }),
  };
}

/**
 * The schema's reading of the document. Assets already validated as they were read (`taken`) are not
 * validated again: the rest of the document is, with no asset, and they are put back in their place.
 * Each asset is validated on its own in both cases, so the result is the same.
 */
function validateDocument(
  source: YamlSource,
): ReturnType<typeof validateWithSchema<typeof vigieConfigSchema>> {
  if (source.taken !== true) return validateWithSchema(vigieConfigSchema, source, SECRET_KEYS);
  const root = source.value as { assets: VigieConfig['assets'] };
  const result = validateWithSchema(
    vigieConfigSchema,
    { value: { ...root, assets: [] }, lineOf: source.lineOf },
    SECRET_KEYS,
  );
  return result.data === undefined ? result : { ...result, data: { ...result.data, assets: root.assets } };
}

function missingPlaybooksDirIssues(source: YamlSource, baseDir: string): Issue[] {
  const playbooks = (source.value as { playbooks?: unknown }).playbooks;
  const dir = (playbooks as { dir?: unknown } | null | undefined)?.dir;
  if (typeof dir !== 'string' || dir.trim() === '') return [];
  const absolute = resolve(baseDir, dir.trim());
  if (existsSync(absolute)) return [];
  const path = ['playbooks', 'dir'];
  const line = source.lineOf(path);
  return [textIssue(formatPath(path), msg('errlang.config.dir-not-found', { dir: absolute }), line)];
}

function missingCaFileIssues(source: YamlSource, baseDir: string): Issue[] {
  const trust = (source.value as { trust?: unknown }).trust;
  const caFiles = (trust as { caFiles?: unknown } | null | undefined)?.caFiles;
  if (!Array.isArray(caFiles)) return [];
  const issues: Issue[] = [];
  caFiles.forEach((caFile: unknown, index) => {
    if (typeof caFile !== 'string' || caFile.trim() === '') return;
    const absolute = resolve(baseDir, caFile.trim());
    if (existsSync(absolute)) return;
    const path = ['trust', 'caFiles', index];
    const line = source.lineOf(path);
    issues.push(textIssue(formatPath(path), msg('texts2.config.file-not-found', { file: absolute }), line));
  });
  return issues;
}
