import { describe, expect, it } from 'vitest';
import { registerStanding } from '../../src/playbooks/index.js';

const yearly = { amount: 12, unit: 'mo' } as const;

describe('registerStanding', () => {
  it('is overdue after the review date, due within 30 days of it, never-exercised otherwise without an exercise', () => {
    expect(registerStanding({ lastReviewed: '2025-03-01', reviewEvery: yearly }, '2026-03-02')).toEqual({
      nextReviewDue: '2026-03-01',
      daysToReview: -1,
      reviewStatus: 'overdue',
      status: 'overdue',
    });
    expect(registerStanding({ lastReviewed: '2025-03-01', reviewEvery: yearly }, '2026-03-01').status).toBe(
      'due',
    );
    expect(registerStanding({ lastReviewed: '2025-03-01', reviewEvery: yearly }, '2026-01-30').status).toBe(
      'due',
    );
    expect(registerStanding({ lastReviewed: '2025-03-01', reviewEvery: yearly }, '2026-01-29').status).toBe(
      'never-exercised',
    );
    expect(
      registerStanding(
        { lastReviewed: '2025-03-01', reviewEvery: yearly, lastExercised: '2025-06-01' },
        '2026-01-29',
      ).status,
    ).toBe('ok');
  });
});
