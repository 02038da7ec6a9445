import {
  InvalidFileError,
  OperationalError,
  UsageError,
  type Incident,
  type IncidentSeverity,
  type Localized,
  type Playbook,
} from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
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
    throw new UsageError(msg('errlang.incident.bad-date', { flag, text }), {
      hint: msg('errlang.incident.date-hint'),
    });
  }
  if (date.getTime() > now.getTime()) {
    throw new UsageError(
      msg('errlang.incident.future', { flag, date: date.toISOString(), now: now.toISOString() }),
    );
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
async function fromFinding(
  ctx: AppContext,
  fingerprint: string,
  library: readonly Playbook[],
  req: OpenIncidentRequest,
): Promise<Chosen> {
  const finding = await readDataStore(ctx, undefined, (store) => store.findings.get(fingerprint));
  if (finding === undefined) {
    throw new UsageError(msg('errlang.finding.unknown', { fingerprint }), {
      hint: msg('errlang.incident.finding-hint'),
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
    throw new UsageError(msg('errlang.incident.no-playbook', { checkId: finding.checkId }), {
      hint: msg('errlang.incident.no-playbook.hint'),
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
export async function openIncident(ctx: AppContext, req: OpenIncidentRequest): Promise<IncidentDetail> {
  const config = optionalConfig(req.inventoryFile);
  const timeZone = organisationTimeZone(config);
  const now = ctx.clock.now();
  const library = loadPlaybooks(playbooksDirOf(ctx), config);
  let chosen: Chosen;
  if (req.fromFinding !== undefined) {
    chosen = await fromFinding(ctx, req.fromFinding, library, req);
  } else {
    if (req.playbook === undefined) {
      throw new UsageError(msg('errlang.incident.playbook-or-finding'));
    }
    const title = req.title?.trim() ?? '';
    if (title === '') throw new UsageError(msg('errlang.incident.title-required'));
    chosen = { playbook: requirePlaybook(library, req.playbook), title, severity: req.severity ?? 'medium' };
  }
  const awareAt = req.awareAt === undefined ? now.toISOString() : pastInstant(req.awareAt, '--aware-at', now);
  const incident = await withDataStore(ctx, (store) =>
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
    await withDataStore(ctx, (store) => store.incidents.timeline(incident.id)),
    now,
    timeZone,
    chosen.playbook.title,
  );
}

/** Open incidents (all with `all`), most recent first, each with its clocks and next deadline. */
export async function listIncidents(
  ctx: AppContext,
  req: { all?: boolean; inventoryFile?: string } = {},
): Promise<IncidentSummary[]> {
  const incidents = await readDataStore<Incident[]>(ctx, [], (store) =>
    store.incidents.list(req.all ? {} : { status: ['open'] }),
  );
  if (incidents.length === 0) return [];
  const timeZone = organisationTimeZone(optionalConfig(req.inventoryFile));
  const titles = playbookTitles(ctx, req.inventoryFile);
  const now = ctx.clock.now();
  return incidents.map((i) => incidentSummary(i, now, timeZone, titles.get(i.playbookId)));
}

async function requireIncident(store: Store, id: string): Promise<Incident> {
  const incident = await store.incidents.get(id);
  if (incident === undefined) {
    throw new UsageError(msg('errlang.incident.unknown', { id }), {
      hint: msg('errlang.incident.unknown.hint'),
    });
  }
  return incident;
}

function noIncidentYet(ctx: AppContext, id: string): never {
  throw new OperationalError(msg('errlang.incident.no-store', { id, dir: ctx.dataDir }), {
    hint: msg('errlang.incident.no-store.hint'),
  });
}

/** One incident: its task list by phase, notes, clocks (due-at local time, time left, met, overdue) and timeline. */
export async function showIncident(
  ctx: AppContext,
  id: string,
  req: { inventoryFile?: string } = {},
): Promise<IncidentDetail> {
  const found = await readDataStore<
    { incident: Incident; timeline: Awaited<ReturnType<Store['incidents']['timeline']>> } | undefined
  >(ctx, undefined, async (store) => {
    const incident = await requireIncident(store, id);
    return { incident, timeline: await store.incidents.timeline(incident.id) };
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
async function change(
  ctx: AppContext,
  id: string,
  req: IncidentRequestBase,
  fn: (store: Store, incident: Incident) => Promise<void>,
): Promise<IncidentDetail> {
  if (!hasDataStore(ctx)) noIncidentYet(ctx, id);
  await withDataStore(ctx, async (store) => fn(store, await requireIncident(store, id)));
  return showIncident(ctx, id, req);
}

/** Marks a step of the incident's task list done or skipped, with an optional note. */
export async function markIncidentStep(
  ctx: AppContext,
  id: string,
  stepId: string,
  state: 'done' | 'skipped',
  req: IncidentRequestBase & { note?: string } = {},
): Promise<IncidentDetail> {
  return change(ctx, id, req, async (store, incident) => {
    await store.incidents.setStep(incident.id, stepId, {
      state,
      at: ctx.clock.now().toISOString(),
      by: actor(req.by),
      ...(req.note?.trim() ? { note: req.note.trim() } : {}),
    });
  });
}

/** Adds a note to the incident's log. */
export async function addIncidentNote(
  ctx: AppContext,
  id: string,
  text: string,
  req: IncidentRequestBase = {},
): Promise<IncidentDetail> {
  if (text.trim() === '') throw new UsageError(msg('errlang.incident.empty-note'));
  return change(ctx, id, req, async (store, incident) => {
    await store.incidents.addNote(incident.id, {
      at: ctx.clock.now().toISOString(),
      by: actor(req.by),
      text,
    });
  });
}

/**
 * Records that a regulatory obligation was done (CNIL notified, NIS2 early warning sent …) at `at`
 * (default: now; not in the future, not before the incident's awareness). The clock must apply to
 * the incident.
 */
export async function notifyObligation(
  ctx: AppContext,
  id: string,
  clockId: string,
  req: IncidentRequestBase & { at?: string } = {},
): Promise<IncidentDetail> {
  if (!isClockId(clockId)) {
    throw new UsageError(msg('errlang.incident.unknown-clock', { clockId }), {
      hint: msg('errlang.incident.clocks', { clocks: CLOCK_IDS.join(', ') }),
    });
  }
  const timeZone = organisationTimeZone(optionalConfig(req.inventoryFile));
  return change(ctx, id, req, async (store, incident) => {
    const now = ctx.clock.now();
    const applicable = incidentClocks(incident, now, timeZone).map((c) => c.id);
    if (!applicable.includes(clockId)) {
      throw new UsageError(msg('errlang.incident.clock-not-applicable', { clockId, id: incident.id }), {
        hint:
          applicable.length === 0
            ? msg('errlang.incident.no-clock')
            : msg('errlang.incident.own-clocks', { clocks: applicable.join(', ') }),
      });
    }
    const metAt =
      req.at === undefined
        ? now.toISOString()
        : pastInstant(req.at, '--at', now, { at: incident.awareAt, what: 'la prise de connaissance' });
    await store.incidents.recordObligationMet(incident.id, {
      clockId,
      metAt,
      at: now.toISOString(),
      by: actor(req.by),
    });
  });
}

/** Closes the incident with its outcome; its clocks and log stay. */
export async function closeIncident(
  ctx: AppContext,
  id: string,
  outcome: string,
  req: IncidentRequestBase = {},
): Promise<IncidentDetail> {
  if (outcome.trim() === '') throw new UsageError(msg('errlang.incident.outcome-required'));
  return change(ctx, id, req, async (store, incident) => {
    await store.incidents.close(incident.id, {
      at: ctx.clock.now().toISOString(),
      by: actor(req.by),
      outcome,
    });
  });
}
