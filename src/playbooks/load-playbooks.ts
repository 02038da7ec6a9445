import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import {
  closestKey,
  parseFrontMatter,
  PLAYBOOK_ID_PATTERN,
  playbookFrontMatterSchema,
  readTextFile,
  sortByLine,
  validateWithSchema,
  type FrontMatter,
} from '../config/index.js';
import { InvalidFileError, triggerMatches, type Issue, type Playbook } from '../domain/index.js';
import { parsePlaybookBody } from './playbook-body.js';

const HINT = 'corrigez ces points (voir playbooks/README.md) puis relancez `vigie playbook validate`';

/** Files read as playbooks; the rest of the directory (README.md …) is ignored. */
const PLAYBOOK_FILE = /^PB-.*\.md$/i;
/** `PB-008-certificat.md`: the ID, then a lower-case slug. */
const PLAYBOOK_FILE_NAME = /^(PB-\d{3})-[a-z0-9]+(?:-[a-z0-9]+)*\.md$/;

export interface LoadPlaybooksOptions {
  /** Every check ID vigie knows (built-in, risky services, custom): triggers must name one. */
  checkIds: ReadonlySet<string>;
  /**
   * The link of each check to its playbook, stated once, by the check (`playbook:` in
   * checks/catalogue.yaml, services.yaml, custom checks): a playbook's triggers derive from it. A
   * `triggers:` entry of a playbook file may not route a check to another playbook than the one it
   * names, when that one is in the library.
   */
  checkPlaybooks?: ReadonlyMap<string, string>;
}

/** Whether a trigger names a known check, or (`prefix.*`) at least one. */
function knownTrigger(trigger: string, checkIds: ReadonlySet<string>): boolean {
  if (!trigger.endsWith('.*')) return checkIds.has(trigger);
  for (const id of checkIds) if (triggerMatches(trigger, id)) return true;
  return false;
}

function listPlaybookFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && PLAYBOOK_FILE.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvalidFileError(dir, [
      {
        path: '',
        message:
          code === 'ENOENT'
            ? 'répertoire des fiches introuvable'
            : `lecture impossible (${code ?? String(error)})`,
      },
    ]);
  }
}

/** One file: the playbook when it is valid, and its problems (each with its path and line). */
function readPlaybook(
  file: string,
  checkIds: ReadonlySet<string>,
  checkPlaybooks?: ReadonlyMap<string, string>,
  libraryIds: ReadonlySet<string> = new Set(),
): { playbook?: Playbook; idLine?: number; issues: Issue[] } {
  let text: string;
  try {
    text = readTextFile(file);
  } catch (error) {
    if (error instanceof InvalidFileError) return { issues: [...error.issues] };
    throw error;
  }
  let front: FrontMatter;
  try {
    front = parseFrontMatter(text, file);
  } catch (error) {
    if (error instanceof InvalidFileError) return { issues: [...error.issues] };
    throw error;
  }
  const { source } = front;
  const { data, issues } = validateWithSchema(playbookFrontMatterSchema, source);
  const at = (path: (string | number)[], pathText: string, message: string): void => {
    const line = source.lineOf(path);
    issues.push({ path: pathText, ...(line === undefined ? {} : { line }), message });
  };

  const name = basename(file);
  const named = PLAYBOOK_FILE_NAME.exec(name);
  const rawId = (source.value as { id?: unknown } | null)?.id;
  if (named === null) {
    issues.push({
      path: '',
      message: 'nom de fichier attendu : PB-NNN-mot-cle.md (minuscules, chiffres et tirets)',
    });
  } else if (typeof rawId === 'string' && PLAYBOOK_ID_PATTERN.test(rawId) && rawId !== named[1]) {
    at(['id'], 'id', `l’identifiant « ${rawId} » diffère de celui du nom de fichier (${named[1] ?? '?'})`);
  }

  // Triggers are checked on the raw document, so they are reported along with schema issues.
  const rawTriggers = (source.value as { triggers?: unknown } | null)?.triggers;
  const seen = new Set<string>();
  (Array.isArray(rawTriggers) ? (rawTriggers as unknown[]) : []).forEach((trigger, index) => {
    if (typeof trigger !== 'string' || trigger.trim() === '') return;
    const id = trigger.trim();
    const path = ['triggers', index];
    if (seen.has(id)) at(path, `triggers[${index}]`, `déclencheur « ${id} » en double`);
    seen.add(id);
    const linked = checkPlaybooks?.get(id);
    // Contradicting the check's own link is refused, when the playbook it names is in this library
    // (an organisation's library without it may route the check elsewhere).
    if (
      linked !== undefined &&
      typeof rawId === 'string' &&
      linked !== rawId.trim().toUpperCase() &&
      libraryIds.has(linked)
    ) {
      at(
        path,
        `triggers[${index}]`,
        `le contrôle « ${id} » renvoie déjà à la fiche « ${linked} » (son champ playbook:) : le lien d’un contrôle à sa fiche se déclare une seule fois, côté contrôle ; retirez ce déclencheur`,
      );
      return;
    }
    if (knownTrigger(id, checkIds)) return;
    const suggestion = id.endsWith('.*') ? undefined : closestKey(id, [...checkIds], 3);
    at(
      path,
      `triggers[${index}]`,
      `contrôle inconnu « ${id} »${suggestion === undefined ? '' : ` (vouliez-vous dire « ${suggestion} » ?)`} : voir \`vigie checks list\``,
    );
  });

  const body = parsePlaybookBody(front.body, front.bodyLine);
  issues.push(...body.issues);
  if (data === undefined || issues.length > 0) return { issues };
  const idLine = source.lineOf(['id']);
  return {
    ...(idLine === undefined ? {} : { idLine }),
    playbook: {
      id: data.id,
      title: data.title,
      summary: data.summary,
      owner: data.owner,
      reviewEvery: data.reviewEvery,
      lastReviewed: data.lastReviewed,
      incidentTypes: data.incidentTypes,
      triggers: data.triggers,
      obligations: data.obligations,
      contacts: data.contacts,
      references: data.references,
      phases: body.phases,
      file,
    },
    issues,
  };
}

/**
 * A playbook's triggers: every check whose `playbook:` names it, then what its own `triggers:` adds
 * for checks that name no playbook (an organisation's custom checks, say).
 */
function withDerivedTriggers(p: Playbook, links: ReadonlyMap<string, string> | undefined): Playbook {
  if (links === undefined) return p;
  const linked = [...links].filter(([, playbook]) => playbook === p.id).map(([checkId]) => checkId);
  return { ...p, triggers: [...new Set([...linked, ...p.triggers])] };
}

/**
 * Reads every `PB-*.md` file of `dir`: front matter (closed lists, cadence, date, ID matching the
 * file name, unique IDs, triggers naming known checks) and body (the six phases in order, at least
 * two steps each). Every problem of every file at once, each with its file, path and line, in one
 * `InvalidFileError` (exit 3); otherwise the playbooks in ID order.
 */
export function loadPlaybookLibrary(dir: string, opts: LoadPlaybooksOptions): Playbook[] {
  const issues: Issue[] = [];
  const playbooks: Playbook[] = [];
  const ids = new Map<string, { file: string }>();
  const names = listPlaybookFiles(dir);
  const libraryIds = new Set(names.flatMap((n) => PLAYBOOK_FILE_NAME.exec(n)?.[1] ?? []));
  for (const name of names) {
    const file = resolve(join(dir, name));
    const read = readPlaybook(file, opts.checkIds, opts.checkPlaybooks, libraryIds);
    const fileIssues = read.issues.map((i) => ({ ...i, file }));
    const p = read.playbook;
    if (p !== undefined) {
      const first = ids.get(p.id);
      if (first !== undefined) {
        fileIssues.push({
          file,
          path: 'id',
          ...(read.idLine === undefined ? {} : { line: read.idLine }),
          message: `identifiant « ${p.id} » déjà utilisé par ${first.file}`,
        });
      } else {
        ids.set(p.id, { file });
        playbooks.push(withDerivedTriggers(p, opts.checkPlaybooks));
      }
    }
    issues.push(...sortByLine(fileIssues));
  }
  if (issues.length > 0) throw new InvalidFileError(dir, issues, { hint: HINT });
  return playbooks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The playbook a finding of `checkId` leads to, by its triggers: one naming the check exactly first,
 * then one naming its family (`service.exposed.*`); the lowest ID wins a tie.
 */
export function playbookForCheck(library: readonly Playbook[], checkId: string): Playbook | undefined {
  return (
    library.find((p) => p.triggers.includes(checkId)) ??
    library.find((p) => p.triggers.some((t) => triggerMatches(t, checkId)))
  );
}

/** The playbook with this ID (compared without regard to case). */
export function findPlaybook(library: readonly Playbook[], id: string): Playbook | undefined {
  const wanted = id.trim().toUpperCase();
  return library.find((p) => p.id === wanted);
}
