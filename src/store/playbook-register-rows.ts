import {
  isCalendarDate,
  UsageError,
  type ExerciseKind,
  type PlaybookExercise,
  type PlaybookReview,
} from '../domain/index.js';
import { msg } from '../i18n/index.js';
import { isoInput } from './iso-input.js';
import type { PlaybookExerciseInput, PlaybookReviewInput } from './playbook-repository.js';

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
