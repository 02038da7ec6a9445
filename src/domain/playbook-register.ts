/** The playbook register: reviews and exercises recorded beside the playbook files. */

export const EXERCISE_KINDS = ['tabletop', 'technical'] as const;
export type ExerciseKind = (typeof EXERCISE_KINDS)[number];

/** A playbook read again and confirmed (or updated) by someone. */
export interface PlaybookReview {
  id: number;
  playbookId: string;
  /** ISO 8601. */
  at: string;
  by: string;
  notes?: string;
}

/** A lightweight exercise log entry, with the lessons learned. */
export interface PlaybookExercise {
  id: number;
  playbookId: string;
  /** AAAA-MM-JJ: the day of the exercise. */
  date: string;
  kind: ExerciseKind;
  participants: number;
  findings: string;
  recordedAt: string;
  by: string;
}

/**
 * Where a playbook stands: `never-reviewed` (no review recorded by the organisation: the date in a
 * shipped template is not one), `overdue` (review date passed), `due` (review within 30 days),
 * `never-exercised` (reviews in order but no exercise recorded), else `ok` — in that precedence.
 */
export const PLAYBOOK_STATUSES = ['ok', 'due', 'overdue', 'never-exercised', 'never-reviewed'] as const;
export type PlaybookStatus = (typeof PLAYBOOK_STATUSES)[number];

/** A review is `due` this many days before its date. */
export const REVIEW_DUE_WITHIN_DAYS = 30;
