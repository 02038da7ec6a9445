import type Database from 'better-sqlite3';
import {
  isCalendarDate,
  UsageError,
  type ExerciseKind,
  type PlaybookExercise,
  type PlaybookReview,
} from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import { isoInput } from '../iso-input.js';
import type { PlaybookExerciseInput, PlaybookReviewInput } from '../playbook-repository.js';

/** Reviews and exercises of the playbook register (tables of migration 3). */

interface ReviewRow {
  id: number;
  playbook_id: string;
  at: string;
  reviewed_by: string;
  notes: string | null;
}

interface ExerciseRow {
  id: number;
  playbook_id: string;
  date: string;
  kind: string;
  participants: number;
  findings: string;
  recorded_at: string;
  recorded_by: string;
}

function reviewOf(row: ReviewRow): PlaybookReview {
  return {
    id: row.id,
    playbookId: row.playbook_id,
    at: row.at,
    by: row.reviewed_by,
    ...(row.notes === null ? {} : { notes: row.notes }),
  };
}

function exerciseOf(row: ExerciseRow): PlaybookExercise {
  return {
    id: row.id,
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

export function insertReview(db: Database.Database, r: PlaybookReviewInput): PlaybookReview {
  const notes = r.notes?.trim() ?? '';
  const { lastInsertRowid } = db
    .prepare(`INSERT INTO playbook_reviews (playbook_id, at, reviewed_by, notes) VALUES (?, ?, ?, ?)`)
    .run(
      required(r.playbookId, 'identifiant de fiche'),
      isoInput(r.at, 'at'),
      required(r.by, '--by'),
      notes || null,
    );
  return reviewOf(
    db
      .prepare<[number | bigint], ReviewRow>(`SELECT * FROM playbook_reviews WHERE id = ?`)
      .get(lastInsertRowid) as ReviewRow,
  );
}

export function selectReviews(db: Database.Database, playbookId?: string): PlaybookReview[] {
  const rows =
    playbookId === undefined
      ? db.prepare<[], ReviewRow>(`SELECT * FROM playbook_reviews ORDER BY at, id`).all()
      : db
          .prepare<[string], ReviewRow>(
            `SELECT * FROM playbook_reviews WHERE playbook_id = ? ORDER BY at, id`,
          )
          .all(playbookId);
  return rows.map(reviewOf);
}

export function insertExercise(db: Database.Database, e: PlaybookExerciseInput): PlaybookExercise {
  if (!isCalendarDate(e.date))
    throw new UsageError(msg('texts2.store.playbook.bad-exercise-date', { date: e.date }));
  if (!Number.isSafeInteger(e.participants) || e.participants < 1) {
    throw new UsageError(msg('texts2.store.playbook.bad-participants', { value: e.participants }));
  }
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO playbook_exercises (playbook_id, date, kind, participants, findings, recorded_at, recorded_by)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      required(e.playbookId, 'identifiant de fiche'),
      e.date,
      e.kind,
      e.participants,
      required(e.findings, '--findings'),
      isoInput(e.recordedAt, 'recordedAt'),
      required(e.by, '--by'),
    );
  return exerciseOf(
    db
      .prepare<[number | bigint], ExerciseRow>(`SELECT * FROM playbook_exercises WHERE id = ?`)
      .get(lastInsertRowid) as ExerciseRow,
  );
}

export function selectExercises(db: Database.Database, playbookId?: string): PlaybookExercise[] {
  const rows =
    playbookId === undefined
      ? db.prepare<[], ExerciseRow>(`SELECT * FROM playbook_exercises ORDER BY date, id`).all()
      : db
          .prepare<[string], ExerciseRow>(
            `SELECT * FROM playbook_exercises WHERE playbook_id = ? ORDER BY date, id`,
          )
          .all(playbookId);
  return rows.map(exerciseOf);
}
