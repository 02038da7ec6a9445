import {
  addReviewPeriod,
  daysBetween,
  REVIEW_DUE_WITHIN_DAYS,
  type PlaybookStatus,
  type ReviewPeriod,
} from '../domain/index.js';

export interface RegisterStanding {
  /** AAAA-MM-JJ: the last review plus the cadence. */
  nextReviewDue: string;
  /** Days from `today` to `nextReviewDue` (negative once passed). */
  daysToReview: number;
  reviewStatus: 'ok' | 'due' | 'overdue' | 'never-reviewed';
  status: PlaybookStatus;
}

/**
 * Where a playbook stands on `today` (AAAA-MM-JJ, the organisation's local date): its review is
 * `overdue` once its date has passed, `due` within 30 days of it; a playbook whose reviews are in
 * order but which was never exercised is `never-exercised`; otherwise `ok`. Without a review
 * recorded by the organisation (`lastReviewed` absent): `never-reviewed`, due today.
 */
export function registerStanding(
  p: { lastReviewed?: string; reviewEvery: ReviewPeriod; lastExercised?: string },
  today: string,
): RegisterStanding {
  // Never reviewed by the organisation: the review is due today.
  if (p.lastReviewed === undefined)
    return {
      nextReviewDue: today,
      daysToReview: 0,
      reviewStatus: 'never-reviewed',
      status: 'never-reviewed',
    };
  const nextReviewDue = addReviewPeriod(p.lastReviewed, p.reviewEvery);
  const daysToReview = daysBetween(today, nextReviewDue);
  const reviewStatus = daysToReview < 0 ? 'overdue' : daysToReview <= REVIEW_DUE_WITHIN_DAYS ? 'due' : 'ok';
  const status: PlaybookStatus =
    reviewStatus !== 'ok' ? reviewStatus : p.lastExercised === undefined ? 'never-exercised' : 'ok';
  return { nextReviewDue, daysToReview, reviewStatus, status };
}
