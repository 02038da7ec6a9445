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

  recordReview(r: PlaybookReviewInput): PlaybookReview {
    return this.h.write(msg('texts2.store.playbook.save-review', { playbookId: r.playbookId }), () =>
      insertReview(this.h.db, r),
    );
  }

  listReviews(playbookId?: string): PlaybookReview[] {
    return this.h.read(msg('texts2.store.playbook.read-reviews'), () => selectReviews(this.h.db, playbookId));
  }

  recordExercise(e: PlaybookExerciseInput): PlaybookExercise {
    return this.h.write(msg('texts2.store.playbook.save-exercise', { playbookId: e.playbookId }), () =>
      insertExercise(this.h.db, e),
    );
  }

  listExercises(playbookId?: string): PlaybookExercise[] {
    return this.h.read(msg('texts2.store.playbook.read-exercises'), () =>
      selectExercises(this.h.db, playbookId),
    );
  }
}
