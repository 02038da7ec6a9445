import {
  InvalidFileError,
  OperationalError,
  UsageError,
  type Incident,
  type IncidentSeverity,
  type Localized,
  type Playbook,
} from '../../domain/index.js';
import { CLOCK_IDS, findPlaybook, playbookForCheck } from '../../playbooks/index.js';
import type { Store } from '../../store/index.js';
import { loadCheckLibrary } from '../shared/check-library.js';
import type { AppContext } from '../shared/context.js';
import { hasDataStore, readDataStore, withDataStore } from '../shared/data-store.js';
import {
  incidentDetail,
  incidentClocks,
  isClockId,
  incidentSummary,
  type IncidentDetail,
  type IncidentSummary,
} from './incident-view.js';
import { optionalConfig } from '../shared/inventory-index.js';
import { localDate, organisationTimeZone } from '../shared/organisation-time.js';
import { loadPlaybooks, playbooksDirOf, requirePlaybook } from '../shared/playbook-library.js';
import { actor } from '../findings/index.js';

export interface IncidentRequestBase {
  by?: string;
  inventoryFile?: string;
}

export interface OpenIncidentRequest extends IncidentRequestBase {
  /** Playbook ID; with `fromFinding`, overrides the playbook the finding leads to. */
  playbook?: string;
  /** Fingerprint of a stored finding: its check's playbook and its severity are taken. */
  fromFinding?: string;
  /** Required without `fromFinding` (default: the finding's title and endpoint). */
  title?: string;
  /** ISO 8601; default: now. The regulatory clocks start here. */
  awareAt?: string;
  personalData?: boolean;
  nis2Significant?: boolean;
  severity?: IncidentSeverity;
}

/** A date-time given on the command line; not after `now`, not before `notBefore`. */
function pastInstant(
  text: string,
  flag: string,
  now: Date,
  notBefore?: { at: string; what: string },
): string {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(`${flag} : date invalide « ${text} »`, {
      hint: 'écrivez une date-heure ISO 8601, par exemple 2026-03-12T08:30:00+01:00',
    });
  }
  if (date.getTime() > now.getTime()) {
    throw new UsageError(`${flag} : ${date.toISOString()} est dans le futur (il est ${now.toISOString()})`);
  }
  if (notBefore !== undefined && date.getTime() < Date.parse(notBefore.at)) {
    throw new UsageError(`${flag} : ${date.toISOString()} précède ${notBefore.what} (${notBefore.at})`);
  }
  return date.toISOString();
}

/** Titles of the library's playbooks; a broken library only costs the titles (validate reports it). */
function playbookTitles(ctx: AppContext, inventoryFile: string | undefined): Map<string, Localized> {
  try {
    return new Map(
      loadPlaybooks(playbooksDirOf(ctx), optionalConfig(inventoryFile)).map((p) => [p.id, p.title]),
    );
  } catch (error) {
    if (error instanceof InvalidFileError) return new Map();
    throw error;
  }
}

interface Chosen {
  playbook: Playbook;
  title: string;
  severity: IncidentSeverity;
  fromFingerprint?: string;
}

/** The playbook, title and severity of an incident opened from a finding. */
function fromFinding(
  ctx: AppContext,
  fingerprint: string,
  library: readonly Playbook[],
  req: OpenIncidentRequest,
): Chosen {
  const finding = readDataStore(ctx, undefined, (store) => store.findings.get(fingerprint));
  if (finding === undefined) {
    throw new UsageError(`aucun constat d’empreinte « ${fingerprint} »`, {
      hint: 'voir `vigie findings list` (colonne Empreinte)',
    });
  }
  const { catalogue } = loadCheckLibrary(optionalConfig(req.inventoryFile));
  const meta = catalogue.checks.get(finding.checkId);
  const playbook =
    req.playbook !== undefined
      ? requirePlaybook(library, req.playbook)
      : ((meta?.playbook === undefined ? undefined : findPlaybook(library, meta.playbook)) ??
        playbookForCheck(library, finding.checkId));
  if (playbook === undefined) {
    throw new UsageError(`aucune fiche réflexe ne couvre le contrôle « ${finding.checkId} »`, {
      hint: 'choisissez la fiche avec --playbook PB-NNN (voir `vigie playbook list`)',
    });
  }
  const where = `${finding.host}:${finding.port}`;
  return {
    playbook,
    title: req.title?.trim() || `${meta?.title[ctx.lang] ?? finding.checkId} — ${where}`,
    severity: req.severity ?? (finding.severity === 'info' ? 'low' : finding.severity),
    fromFingerprint: finding.fingerprint,
  };
}

/**
 * Opens an incident run through a playbook: its task list is the playbook's steps (copied), its
 * regulatory clocks start at `awareAt`. The ID is `INC-<year>-NNN`, sequential in the organisation's
 * local year.
 */
export function openIncident(ctx: AppContext, req: OpenIncidentRequest): IncidentDetail {
  const config = optionalConfig(req.inventoryFile);
  const timeZone = organisationTimeZone(config);
  const now = ctx.clock.now();
  const library = loadPlaybooks(playbooksDirOf(ctx), config);
  let chosen: Chosen;
  if (req.fromFinding !== undefined) {
    chosen = fromFinding(ctx, req.fromFinding, library, req);
  } else {
    if (req.playbook === undefined) {
      throw new UsageError(
        'indiquez la fiche réflexe (--playbook PB-NNN) ou le constat (--from-finding EMPREINTE)',
      );
    }
    const title = req.title?.trim() ?? '';
    if (title === '')
      throw new UsageError('--title : un intitulé est obligatoire (ex. « Rançongiciel sur le SIG »)');
    chosen = { playbook: requirePlaybook(library, req.playbook), title, severity: req.severity ?? 'medium' };
  }
  const awareAt = req.awareAt === undefined ? now.toISOString() : pastInstant(req.awareAt, '--aware-at', now);
  const incident = withDataStore(ctx, (store) =>
    store.incidents.open({
      year: Number(localDate(now, timeZone).slice(0, 4)),
      playbookId: chosen.playbook.id,
      title: chosen.title,
      severity: chosen.severity,
      awareAt,
      openedAt: now.toISOString(),
      by: actor(req.by),
      personalData: req.personalData ?? false,
      nis2Significant: req.nis2Significant ?? false,
      ...(chosen.fromFingerprint === undefined ? {} : { fromFingerprint: chosen.fromFingerprint }),
      steps: chosen.playbook.phases.flatMap((phase) =>
        phase.steps.map((s) => ({ stepId: s.id, phase: phase.code, text: s.text })),
      ),
    }),
  );
  return incidentDetail(
    incident,
    withDataStore(ctx, (store) => store.incidents.timeline(incident.id)),
    now,
    timeZone,
    chosen.playbook.title,
  );
}

/** Open incidents (all with `all`), most recent first, each with its clocks and next deadline. */
export function listIncidents(
  ctx: AppContext,
  req: { all?: boolean; inventoryFile?: string } = {},
): IncidentSummary[] {
  const incidents = readDataStore<Incident[]>(ctx, [], (store) =>
    store.incidents.list(req.all ? {} : { status: ['open'] }),
  );
  if (incidents.length === 0) return [];
  const timeZone = organisationTimeZone(optionalConfig(req.inventoryFile));
  const titles = playbookTitles(ctx, req.inventoryFile);
  const now = ctx.clock.now();
  return incidents.map((i) => incidentSummary(i, now, timeZone, titles.get(i.playbookId)));
}

function requireIncident(store: Store, id: string): Incident {
  const incident = store.incidents.get(id);
  if (incident === undefined) {
    throw new UsageError(`aucun incident « ${id} »`, { hint: 'voir `vigie incident list --all`' });
  }
  return incident;
}

function noIncidentYet(ctx: AppContext, id: string): never {
  throw new OperationalError(`aucun incident « ${id} » : aucune base dans ${ctx.dataDir}`, {
    hint: 'ouvrez d’abord un incident avec `vigie incident open` (ou vérifiez VIGIE_DATA_DIR)',
  });
}

/** One incident: its task list by phase, notes, clocks (due-at local time, time left, met, overdue) and timeline. */
export function showIncident(
  ctx: AppContext,
  id: string,
  req: { inventoryFile?: string } = {},
): IncidentDetail {
  const found = readDataStore<
    { incident: Incident; timeline: ReturnType<Store['incidents']['timeline']> } | undefined
  >(ctx, undefined, (store) => {
    const incident = requireIncident(store, id);
    return { incident, timeline: store.incidents.timeline(incident.id) };
  });
  if (found === undefined) noIncidentYet(ctx, id);
  const timeZone = organisationTimeZone(optionalConfig(req.inventoryFile));
  const titles = playbookTitles(ctx, req.inventoryFile);
  return incidentDetail(
    found.incident,
    found.timeline,
    ctx.clock.now(),
    timeZone,
    titles.get(found.incident.playbookId),
  );
}

/** Runs a change on an existing incident, then shows it. */
function change(
  ctx: AppContext,
  id: string,
  req: IncidentRequestBase,
  fn: (store: Store, incident: Incident) => void,
): IncidentDetail {
  if (!hasDataStore(ctx)) noIncidentYet(ctx, id);
  withDataStore(ctx, (store) => fn(store, requireIncident(store, id)));
  return showIncident(ctx, id, req);
}

/** Marks a step of the incident's task list done or skipped, with an optional note. */
export function markIncidentStep(
  ctx: AppContext,
  id: string,
  stepId: string,
  state: 'done' | 'skipped',
  req: IncidentRequestBase & { note?: string } = {},
): IncidentDetail {
  return change(ctx, id, req, (store, incident) => {
    store.incidents.setStep(incident.id, stepId, {
      state,
      at: ctx.clock.now().toISOString(),
      by: actor(req.by),
      ...(req.note?.trim() ? { note: req.note.trim() } : {}),
    });
  });
}

/** Adds a note to the incident's log. */
export function addIncidentNote(
  ctx: AppContext,
  id: string,
  text: string,
  req: IncidentRequestBase = {},
): IncidentDetail {
  if (text.trim() === '') throw new UsageError('la note est vide');
  return change(ctx, id, req, (store, incident) => {
    store.incidents.addNote(incident.id, { at: ctx.clock.now().toISOString(), by: actor(req.by), text });
  });
}

/**
 * Records that a regulatory obligation was done (CNIL notified, NIS2 early warning sent …) at `at`
 * (default: now; not in the future, not before the incident's awareness). The clock must apply to
 * the incident.
 */
export function notifyObligation(
  ctx: AppContext,
  id: string,
  clockId: string,
  req: IncidentRequestBase & { at?: string } = {},
): IncidentDetail {
  if (!isClockId(clockId)) {
    throw new UsageError(`échéance inconnue « ${clockId} »`, { hint: `échéances : ${CLOCK_IDS.join(', ')}` });
  }
  const timeZone = organisationTimeZone(optionalConfig(req.inventoryFile));
  return change(ctx, id, req, (store, incident) => {
    const now = ctx.clock.now();
    const applicable = incidentClocks(incident, now, timeZone).map((c) => c.id);
    if (!applicable.includes(clockId)) {
      throw new UsageError(`l’échéance « ${clockId} » ne s’applique pas à l’incident ${incident.id}`, {
        hint:
          applicable.length === 0
            ? 'l’incident n’est marqué ni « données personnelles » ni « NIS2 important » : aucune échéance réglementaire'
            : `échéances de cet incident : ${applicable.join(', ')}`,
      });
    }
    const metAt =
      req.at === undefined
        ? now.toISOString()
        : pastInstant(req.at, '--at', now, { at: incident.awareAt, what: 'la prise de connaissance' });
    store.incidents.recordObligationMet(incident.id, {
      clockId,
      metAt,
      at: now.toISOString(),
      by: actor(req.by),
    });
  });
}

/** Closes the incident with its outcome; its clocks and log stay. */
export function closeIncident(
  ctx: AppContext,
  id: string,
  outcome: string,
  req: IncidentRequestBase = {},
): IncidentDetail {
  if (outcome.trim() === '') throw new UsageError('--outcome : le dénouement de l’incident est obligatoire');
  return change(ctx, id, req, (store, incident) => {
    store.incidents.close(incident.id, { at: ctx.clock.now().toISOString(), by: actor(req.by), outcome });
  });
}
