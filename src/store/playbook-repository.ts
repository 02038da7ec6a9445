import type { PlaybookExercise, PlaybookReview } from '../domain/index.js';

export interface PlaybookReviewInput {
  playbookId: string;
  /** ISO 8601. */
  at: string;
  by: string;
  notes?: string;
}

/** An exercise to record: everything but the id the store gives it. */
export type PlaybookExerciseInput = Omit<PlaybookExercise, 'id'>;

/** The playbook register: reviews and exercises of each playbook. */
export interface PlaybookRepository {
  recordReview(r: PlaybookReviewInput): Promise<PlaybookReview>;
  /** Oldest first; every playbook's when `playbookId` is absent. */
  listReviews(playbookId?: string): Promise<PlaybookReview[]>;
  recordExercise(e: PlaybookExerciseInput): Promise<PlaybookExercise>;
  /** By exercise date, oldest first. */
  listExercises(playbookId?: string): Promise<PlaybookExercise[]>;
}
