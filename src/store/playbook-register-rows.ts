import {
  isCalendarDate,
  UsageError,
  type ExerciseKind,
  type PlaybookExercise,
  type PlaybookReview,
} from '../domain/index.js';
import { msg, type CatalogueText } from '../i18n/index.js';
import { isoInput } from './iso-input.js';
import type {
  PlaybookExerciseInput,
  PlaybookRepository,
  PlaybookReviewInput,
} from './playbook-repository.js';

/** Reviews and exercises of the playbook register: rows, mapping and checks, the same for every backend. */

/** `id` is a number in SQLite, a BIGINT PostgreSQL hands over as text. */
type RowId = number | string;

export interface ReviewRow {
  id: RowId;
  playbook_id: string;
  at: string;
  reviewed_by: string;
  notes: string | null;
}

export interface ExerciseRow {
  id: RowId;
  playbook_id: string;
  date: string;
  kind: string;
  participants: number;
  findings: string;
  recorded_at: string;
  recorded_by: string;
}

export function reviewOf(row: ReviewRow): PlaybookReview {
  return {
    id: Number(row.id),
    playbookId: row.playbook_id,
    at: row.at,
    by: row.reviewed_by,
    ...(row.notes === null ? {} : { notes: row.notes }),
  };
}

export function exerciseOf(row: ExerciseRow): PlaybookExercise {
  return {
    id: Number(row.id),
    playbookId: row.playbook_id,
    date: row.date,
    kind: row.kind as ExerciseKind,
    participants: row.participants,
    findings: row.findings,
    recordedAt: row.recorded_at,
    by: row.recorded_by,
  };
}

function required(value: string, what: string): string {
  const text = value.trim();
  if (text === '') throw new UsageError(`${what} vide`);
  return text;
}

/** A review's column values (playbook_id, at, reviewed_by, notes), checked. */
export function reviewValues(r: PlaybookReviewInput): [string, string, string, string | null] {
  const notes = r.notes?.trim() ?? '';
  return [
    required(r.playbookId, 'identifiant de fiche'),
    isoInput(r.at, 'at'),
    required(r.by, '--by'),
    notes || null,
  ];
}

/** An exercise's column values (playbook_id, date, kind, participants, findings, recorded_at, recorded_by), checked. */
export function exerciseValues(
  e: PlaybookExerciseInput,
): [string, string, ExerciseKind, number, string, string, string] {
  if (!isCalendarDate(e.date))
    throw new UsageError(msg('texts2.store.playbook.bad-exercise-date', { date: e.date }));
  if (!Number.isSafeInteger(e.participants) || e.participants < 1) {
    throw new UsageError(msg('texts2.store.playbook.bad-participants', { value: e.participants }));
  }
  return [
    required(e.playbookId, 'identifiant de fiche'),
    e.date,
    e.kind,
    e.participants,
    required(e.findings, '--findings'),
    isoInput(e.recordedAt, 'recordedAt'),
    required(e.by, '--by'),
  ];
}

/**
 * A table of the register as every backend writes and reads it: its columns in the order of an
 * entry's values (`id` is generated), the order of a listing, how a row reads, and what a failure
 * to save or read it says.
 */
export interface RegisterTable<Row extends object, Entry, Input> {
  table: string;
  columns: readonly string[];
  order: string;
  entryOf: (row: Row) => Entry;
  valuesOf: (input: Input) => readonly unknown[];
  saving: (input: Input) => CatalogueText;
  reading: CatalogueText;
}

export const REVIEWS: RegisterTable<ReviewRow, PlaybookReview, PlaybookReviewInput> = {
  table: 'playbook_reviews',
  columns: ['playbook_id', 'at', 'reviewed_by', 'notes'],
  order: 'at, id',
  entryOf: reviewOf,
  valuesOf: reviewValues,
  saving: (r) => msg('texts2.store.playbook.save-review', { playbookId: r.playbookId }),
  reading: msg('texts2.store.playbook.read-reviews'),
};

export const EXERCISES: RegisterTable<ExerciseRow, PlaybookExercise, PlaybookExerciseInput> = {
  table: 'playbook_exercises',
  columns: ['playbook_id', 'date', 'kind', 'participants', 'findings', 'recorded_at', 'recorded_by'],
  order: 'date, id',
  entryOf: exerciseOf,
  valuesOf: exerciseValues,
  saving: (e) => msg('texts2.store.playbook.save-exercise', { playbookId: e.playbookId }),
  reading: msg('texts2.store.playbook.read-exercises'),
};

/**
 * The playbook register over a backend that writes and lists the entries of a table, each in its
 * own transaction.
 */
export abstract class RegisterRepository implements PlaybookRepository {
  recordReview(r: PlaybookReviewInput): Promise<PlaybookReview> {
    return this.record(REVIEWS, r);
  }

  listReviews(playbookId?: string): Promise<PlaybookReview[]> {
    return this.list(REVIEWS, playbookId);
  }

  recordExercise(e: PlaybookExerciseInput): Promise<PlaybookExercise> {
    return this.record(EXERCISES, e);
  }

  listExercises(playbookId?: string): Promise<PlaybookExercise[]> {
    return this.list(EXERCISES, playbookId);
  }

  /** Writes an entry (its values checked) and returns it as stored. */
  protected abstract record<Row extends object, Entry, Input>(
    t: RegisterTable<Row, Entry, Input>,
    input: Input,
  ): Promise<Entry>;

  /** The entries of one playbook, or of all when `playbookId` is undefined, in the table's order. */
  protected abstract list<Row extends object, Entry, Input>(
    t: RegisterTable<Row, Entry, Input>,
    playbookId?: string,
  ): Promise<Entry[]>;
}
