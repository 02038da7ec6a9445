import {
  formatReviewPeriod,
  isCalendarDate,
  UsageError,
  type ExerciseKind,
  type Localized,
  type Playbook,
  type PlaybookExercise,
  type PlaybookReview,
  type PlaybookStatus,
} from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import { registerStanding } from '../../playbooks/index.js';
import type { Store } from '../../store/index.js';
import type { AppContext } from '../shared/context.js';
import { readDataStore, withDataStore } from '../shared/data-store.js';
import { optionalConfig } from '../shared/inventory-index.js';
import { localDate, organisationTimeZone } from '../shared/organisation-time.js';
import { loadPlaybooks, playbooksDirOf, requirePlaybook } from '../shared/playbook-library.js';
import { actor } from '../findings/index.js';

/** One line of the playbook register (`vigie playbook list`). */
export interface PlaybookRegisterEntry {
  id: string;
  title: Localized;
  owner: string;
  /** `12mo` */
  reviewEvery: string;
  /**
   * AAAA-MM-JJ of the last review recorded by the organisation (`vigie playbook review`); absent
   * until one is: the date in a shipped template is not the organisation's review.
   */
  lastReviewed?: string;
  /** Who recorded that review. */
  lastReviewedBy?: string;
  /** AAAA-MM-JJ: `lastReviewed` of the file (the template's author), for information only. */
  templateReviewed: string;
  /** AAAA-MM-JJ; today while never reviewed. */
  nextReviewDue: string;
  /** Days until the next review (negative once passed). */
  daysToReview: number;
  reviewStatus: 'ok' | 'due' | 'overdue' | 'never-reviewed';
  /** AAAA-MM-JJ of the latest exercise. */
  lastExercised?: string;
  exercises: number;
  status: PlaybookStatus;
}

export interface RegisterRequest {
  inventoryFile?: string;
}

function entryOf(
  p: Playbook,
  reviews: readonly PlaybookReview[],
  exercises: readonly PlaybookExercise[],
  today: string,
  timeZone: string,
): PlaybookRegisterEntry {
  const recorded = reviews
    .filter((r) => r.playbookId === p.id)
    .map((r) => ({ date: localDate(new Date(r.at), timeZone), by: r.by }))
    .reduce<{ date: string; by: string } | undefined>(
      (a, b) => (a === undefined || b.date >= a.date ? b : a),
      undefined,
    );
  const lastReviewed = recorded?.date;
  const own = exercises.filter((e) => e.playbookId === p.id);
  const lastExercised = own
    .map((e) => e.date)
    .reduce<string | undefined>((a, b) => (a === undefined || b > a ? b : a), undefined);
  const standing = registerStanding(
    {
      ...(lastReviewed === undefined ? {} : { lastReviewed }),
      reviewEvery: p.reviewEvery,
      ...(lastExercised === undefined ? {} : { lastExercised }),
    },
    today,
  );
  return {
    id: p.id,
    title: p.title,
    owner: p.owner,
    reviewEvery: formatReviewPeriod(p.reviewEvery),
    ...(recorded ? { lastReviewed: recorded.date, lastReviewedBy: recorded.by } : {}),
    templateReviewed: p.lastReviewed,
    nextReviewDue: standing.nextReviewDue,
    daysToReview: standing.daysToReview,
    reviewStatus: standing.reviewStatus,
    ...(lastExercised === undefined ? {} : { lastExercised }),
    exercises: own.length,
    status: standing.status,
  };
}

interface RegisterData {
  reviews: PlaybookReview[];
  exercises: PlaybookExercise[];
}

const readRegister = async (store: Store): Promise<RegisterData> => ({
  reviews: await store.playbooks.listReviews(),
  exercises: await store.playbooks.listExercises(),
});

/**
 * The playbook register at the context's clock: for each playbook, its last review recorded by the
 * organisation (none on a fresh install: `never-reviewed`), next review due, last exercise, and status (ok, due within 30 days,
 * overdue, never exercised). Dates are the organisation's local days.
 */
export async function listPlaybookRegister(
  ctx: AppContext,
  req: RegisterRequest = {},
): Promise<PlaybookRegisterEntry[]> {
  const config = optionalConfig(req.inventoryFile);
  const timeZone = organisationTimeZone(config);
  const library = loadPlaybooks(playbooksDirOf(ctx), config);
  const today = localDate(ctx.clock.now(), timeZone);
  const data = await readDataStore<RegisterData>(ctx, { reviews: [], exercises: [] }, readRegister);
  return library.map((p) => entryOf(p, data.reviews, data.exercises, today, timeZone));
}

export interface PlaybookDetail {
  playbook: Playbook;
  register: PlaybookRegisterEntry;
  reviews: PlaybookReview[];
  exercises: PlaybookExercise[];
}

/** One playbook: its steps by phase, contacts, obligations, triggers, references, and its register history. */
export async function showPlaybook(
  ctx: AppContext,
  id: string,
  req: RegisterRequest = {},
): Promise<PlaybookDetail> {
  const config = optionalConfig(req.inventoryFile);
  const timeZone = organisationTimeZone(config);
  const playbook = requirePlaybook(loadPlaybooks(playbooksDirOf(ctx), config), id);
  const data = await readDataStore<RegisterData>(ctx, { reviews: [], exercises: [] }, async (store) => ({
    reviews: await store.playbooks.listReviews(playbook.id),
    exercises: await store.playbooks.listExercises(playbook.id),
  }));
  const today = localDate(ctx.clock.now(), timeZone);
  return { playbook, register: entryOf(playbook, data.reviews, data.exercises, today, timeZone), ...data };
}

/**
 * Records that a playbook was reviewed now, or on `date` (AAAA-MM-JJ, not after today: a review held
 * before vigie was installed); returns the review and the register line it updates.
 */
export async function reviewPlaybook(
  ctx: AppContext,
  id: string,
  r: { by?: string; notes?: string; date?: string; inventoryFile?: string },
): Promise<{ review: PlaybookReview; register: PlaybookRegisterEntry }> {
  const config = optionalConfig(r.inventoryFile);
  const playbook = requirePlaybook(loadPlaybooks(playbooksDirOf(ctx), config), id);
  const at = r.date === undefined ? ctx.clock.now().toISOString() : reviewDay(ctx, config, r.date);
  const review = await withDataStore(ctx, (store) =>
    store.playbooks.recordReview({
      playbookId: playbook.id,
      at,
      by: actor(r.by),
      ...(r.notes?.trim() ? { notes: r.notes.trim() } : {}),
    }),
  );
  return { review, register: (await showPlaybook(ctx, playbook.id, r)).register };
}

/** `--date` is not a calendar day. */
const badDate = (date: string): UsageError =>
  new UsageError(msg('texts2.register.bad-date', { date }), { hint: msg('texts2.register.bad-date.hint') });

/** A past review's day as a time: noon UTC, the same day in the organisation's time zone. */
function reviewDay(ctx: AppContext, config: ReturnType<typeof optionalConfig>, date: string): string {
  if (!isCalendarDate(date)) throw badDate(date);
  const today = localDate(ctx.clock.now(), organisationTimeZone(config));
  if (date > today) throw new UsageError(msg('texts2.register.review-future', { date, today }));
  return date === today ? ctx.clock.now().toISOString() : `${date}T12:00:00.000Z`;
}

export interface ExerciseRequest {
  /** AAAA-MM-JJ, not after today. */
  date: string;
  kind: ExerciseKind;
  participants: number;
  findings: string;
  by?: string;
  inventoryFile?: string;
}

/** Logs an exercise (tabletop or technical) with its lessons learned. */
export async function recordPlaybookExercise(
  ctx: AppContext,
  id: string,
  e: ExerciseRequest,
): Promise<{ exercise: PlaybookExercise; register: PlaybookRegisterEntry }> {
  const config = optionalConfig(e.inventoryFile);
  const playbook = requirePlaybook(loadPlaybooks(playbooksDirOf(ctx), config), id);
  if (!isCalendarDate(e.date)) {
    throw badDate(e.date);
  }
  const today = localDate(ctx.clock.now(), organisationTimeZone(config));
  if (e.date > today) {
    throw new UsageError(msg('texts2.register.exercise-future', { date: e.date, today }));
  }
  if (!Number.isSafeInteger(e.participants) || e.participants < 1) {
    throw new UsageError(msg('texts2.register.participants', { value: e.participants }));
  }
  if (e.findings.trim() === '') throw new UsageError(msg('texts2.register.findings'));
  const exercise = await withDataStore(ctx, (store) =>
    store.playbooks.recordExercise({
      playbookId: playbook.id,
      date: e.date,
      kind: e.kind,
      participants: e.participants,
      findings: e.findings.trim(),
      recordedAt: ctx.clock.now().toISOString(),
      by: actor(e.by),
    }),
  );
  return { exercise, register: (await showPlaybook(ctx, playbook.id, e)).register };
}
