import { msg } from '../../i18n/index.js';
import type { PlaybookExercise, PlaybookReview } from '../../domain/index.js';
import {
  exerciseOf,
  exerciseValues,
  reviewOf,
  reviewValues,
  type ExerciseRow,
  type ReviewRow,
} from '../playbook-register-rows.js';
import type {
  PlaybookExerciseInput,
  PlaybookRepository,
  PlaybookReviewInput,
} from '../playbook-repository.js';
import type { PgDatabase } from './pg-database.js';

/** The playbook register in PostgreSQL. */
export class PgPlaybookRepository implements PlaybookRepository {
  constructor(private readonly db: PgDatabase) {}

  recordReview(r: PlaybookReviewInput): Promise<PlaybookReview> {
    return this.db.write(
      msg('texts2.store.playbook.save-review', { playbookId: r.playbookId }),
      async (q) => {
        const row = await q.one<ReviewRow>(
          `INSERT INTO playbook_reviews (playbook_id, at, reviewed_by, notes) VALUES ($1, $2, $3, $4) RETURNING *`,
          reviewValues(r),
        );
        return reviewOf(row as ReviewRow);
      },
    );
  }

  async listReviews(playbookId?: string): Promise<PlaybookReview[]> {
    const rows = await this.db.read(msg('texts2.store.playbook.read-reviews'), (q) =>
      playbookId === undefined
        ? q.rows<ReviewRow>(`SELECT * FROM playbook_reviews ORDER BY at, id`)
        : q.rows<ReviewRow>(`SELECT * FROM playbook_reviews WHERE playbook_id = $1 ORDER BY at, id`, [
            playbookId,
          ]),
    );
    return rows.map(reviewOf);
  }

  recordExercise(e: PlaybookExerciseInput): Promise<PlaybookExercise> {
    return this.db.write(
      msg('texts2.store.playbook.save-exercise', { playbookId: e.playbookId }),
      async (q) => {
        const row = await q.one<ExerciseRow>(
          `INSERT INTO playbook_exercises (playbook_id, date, kind, participants, findings, recorded_at, recorded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
          exerciseValues(e),
        );
        return exerciseOf(row as ExerciseRow);
      },
    );
  }

  async listExercises(playbookId?: string): Promise<PlaybookExercise[]> {
    const rows = await this.db.read(msg('texts2.store.playbook.read-exercises'), (q) =>
      playbookId === undefined
        ? q.rows<ExerciseRow>(`SELECT * FROM playbook_exercises ORDER BY date, id`)
        : q.rows<ExerciseRow>(`SELECT * FROM playbook_exercises WHERE playbook_id = $1 ORDER BY date, id`, [
            playbookId,
          ]),
    );
    return rows.map(exerciseOf);
  }
}
