import type Database from 'better-sqlite3';
import type { PlaybookExercise, PlaybookReview } from '../../domain/index.js';
import type { PlaybookExerciseInput, PlaybookReviewInput } from '../playbook-repository.js';
import {
  exerciseOf,
  exerciseValues,
  reviewOf,
  reviewValues,
  type ExerciseRow,
  type ReviewRow,
} from '../playbook-register-rows.js';

/** Reviews and exercises of the playbook register (tables of migration 3). */

export function insertReview(db: Database.Database, r: PlaybookReviewInput): PlaybookReview {
  const { lastInsertRowid } = db
    .prepare(`INSERT INTO playbook_reviews (playbook_id, at, reviewed_by, notes) VALUES (?, ?, ?, ?)`)
    .run(...reviewValues(r));
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
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO playbook_exercises (playbook_id, date, kind, participants, findings, recorded_at, recorded_by)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(...exerciseValues(e));
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
