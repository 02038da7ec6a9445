import { msg } from '../../i18n/index.js';
import type { PlaybookExercise, PlaybookReview } from '../../domain/index.js';
import type {
  PlaybookExerciseInput,
  PlaybookRepository,
  PlaybookReviewInput,
} from '../playbook-repository.js';
import type { SqliteDatabase } from './database.js';
import { insertExercise, insertReview, selectExercises, selectReviews } from './playbook-register-records.js';

/** The playbook register in SQLite. */
export class SqlitePlaybookRepository implements PlaybookRepository {
  constructor(private readonly h: SqliteDatabase) {}

  async recordReview(r: PlaybookReviewInput): Promise<PlaybookReview> {
    return this.h.write(msg('texts2.store.playbook.save-review', { playbookId: r.playbookId }), () =>
      insertReview(this.h.db, r),
    );
  }

  async listReviews(playbookId?: string): Promise<PlaybookReview[]> {
    return this.h.read(msg('texts2.store.playbook.read-reviews'), () => selectReviews(this.h.db, playbookId));
  }

  async recordExercise(e: PlaybookExerciseInput): Promise<PlaybookExercise> {
    return this.h.write(msg('texts2.store.playbook.save-exercise', { playbookId: e.playbookId }), () =>
      insertExercise(this.h.db, e),
    );
  }

  async listExercises(playbookId?: string): Promise<PlaybookExercise[]> {
    return this.h.read(msg('texts2.store.playbook.read-exercises'), () =>
      selectExercises(this.h.db, playbookId),
    );
  }
}
