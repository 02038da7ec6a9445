import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  listPlaybookRegister,
  recordPlaybookExercise,
  reviewPlaybook,
  showPlaybook,
} from '../../../src/app/playbooks-incidents/index.js';
import { type AppContext } from '../../../src/app/shared/index.js';
import { fixedClock } from '../../../src/domain/index.js';
import { playbookText } from '../../helpers/playbook-fixture.js';

/** 23:30 UTC on 14 March is already 15 March in Paris. */
const NOW = '2026-03-14T23:30:00.000Z';
let dir = '';
const ctx = (at = NOW): AppContext => ({
  clock: fixedClock(at),
  lang: 'fr',
  dataDir: path.join(dir, 'data'),
  playbooksDir: path.join(dir, 'playbooks'),
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-register-'));
  const playbooks = path.join(dir, 'playbooks');
  fs.mkdirSync(playbooks);
  const write = (id: string, lastReviewed: string) =>
    fs.writeFileSync(
      path.join(playbooks, `${id}-test.md`),
      playbookText({ id, lastReviewed, reviewEvery: '12mo' }),
    );
  // The files' dates are the template author's, not the organisation's reviews.
  for (const id of ['PB-001', 'PB-002', 'PB-003', 'PB-004']) write(id, '2026-03-01');
});

/** The organisation's own past reviews, recorded with their day (`playbook review --date`). */
async function recordPastReviews(): Promise<void> {
  await reviewPlaybook(ctx(), 'PB-001', { by: 'RSSI', date: '2025-06-01' }); // next 2026-06-01: far away
  await reviewPlaybook(ctx(), 'PB-002', { by: 'RSSI', date: '2025-04-01' }); // next 2026-04-01: within 30 days
  await reviewPlaybook(ctx(), 'PB-003', { by: 'RSSI', date: '2025-01-01' }); // next 2026-01-01: passed
  await reviewPlaybook(ctx(), 'PB-004', { by: 'RSSI', date: '2025-12-01' }); // recent, never exercised
}
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const statuses = async (c: AppContext) => (await listPlaybookRegister(c)).map((e) => [e.id, e.status]);

describe('the playbook register', () => {
  it('on a fresh install, every playbook is never reviewed by the organisation, whatever its file says', async () => {
    const register = await listPlaybookRegister(ctx());
    expect(register.map((e) => e.status)).toEqual(Array(4).fill('never-reviewed'));
    expect(register[0]).toMatchObject({
      reviewStatus: 'never-reviewed',
      templateReviewed: '2026-03-01',
      nextReviewDue: '2026-03-15', // due today (local date in Paris)
    });
    expect(register[0]?.lastReviewed).toBeUndefined();
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);
    const one = await reviewPlaybook(ctx(), 'PB-002', { by: 'DSI', date: '2026-03-12' });
    expect(one.review.at).toBe('2026-03-12T12:00:00.000Z');
    expect(one.register).toMatchObject({
      lastReviewed: '2026-03-12',
      reviewStatus: 'ok',
      lastReviewedBy: 'DSI',
    });
  });

  it('refuses a review dated in the future or unreadable', async () => {
    await expect(reviewPlaybook(ctx(), 'PB-001', { by: 'DSI', date: '2026-03-16' })).rejects.toThrow(
      /pas encore eu lieu/,
    );
    await expect(reviewPlaybook(ctx(), 'PB-001', { by: 'DSI', date: '12/03/2026' })).rejects.toThrow(
      /AAAA-MM-JJ/,
    );
  });

  it('gives each playbook its status from the recorded reviews and the exercise log', async () => {
    await recordPastReviews();
    expect(await statuses(ctx())).toEqual([
      ['PB-001', 'never-exercised'],
      ['PB-002', 'due'],
      ['PB-003', 'overdue'],
      ['PB-004', 'never-exercised'],
    ]);

    const exercised = await recordPlaybookExercise(ctx(), 'PB-001', {
      date: '2026-02-10',
      kind: 'tabletop',
      participants: 8,
      findings: 'L’annuaire de crise n’avait pas les astreintes du week-end.',
      by: 'rssi',
    });
    expect(exercised.exercise).toMatchObject({
      playbookId: 'PB-001',
      date: '2026-02-10',
      recordedAt: NOW,
      by: 'rssi',
    });
    expect(exercised.register).toMatchObject({ status: 'ok', lastExercised: '2026-02-10', exercises: 1 });

    const reviewed = await reviewPlaybook(ctx(), 'pb-003', { by: 'DSI', notes: 'contacts mis à jour' });
    expect(reviewed.review).toMatchObject({
      playbookId: 'PB-003',
      at: NOW,
      by: 'DSI',
      notes: 'contacts mis à jour',
    });
    // Reviewed on 15 March, local time: the next review is a year later.
    expect(reviewed.register).toMatchObject({
      lastReviewed: '2026-03-15',
      lastReviewedBy: 'DSI',
      nextReviewDue: '2027-03-15',
      status: 'never-exercised',
    });

    expect(await listPlaybookRegister(ctx())).toEqual([
      expect.objectContaining({
        id: 'PB-001',
        status: 'ok',
        lastReviewed: '2025-06-01',
        nextReviewDue: '2026-06-01',
        daysToReview: 78,
      }),
      expect.objectContaining({ id: 'PB-002', status: 'due', reviewStatus: 'due', daysToReview: 17 }),
      expect.objectContaining({ id: 'PB-003', status: 'never-exercised', reviewStatus: 'ok' }),
      expect.objectContaining({ id: 'PB-004', status: 'never-exercised', exercises: 0 }),
    ]);
    // Later on, the first playbook's review comes due, then passes.
    expect((await statuses(ctx('2026-05-10T10:00:00.000Z')))[0]).toEqual(['PB-001', 'due']);
    expect((await statuses(ctx('2026-06-02T10:00:00.000Z')))[0]).toEqual(['PB-001', 'overdue']);

    const shown = await showPlaybook(ctx(), 'PB-003');
    expect(shown.reviews.map((r) => r.by)).toEqual(['RSSI', 'DSI']);
    expect(shown.exercises).toEqual([]);
    expect(shown.playbook.phases).toHaveLength(6);
  });

  it('refuses an exercise in the future, a bad date or empty findings, and an unknown playbook', async () => {
    const base = { kind: 'technical' as const, participants: 3, findings: 'ok' };
    await expect(recordPlaybookExercise(ctx(), 'PB-001', { ...base, date: '2026-03-16' })).rejects.toThrow(
      /pas encore eu lieu/,
    );
    expect(
      (await recordPlaybookExercise(ctx(), 'PB-001', { ...base, date: '2026-03-15' })).exercise.date,
    ).toBe('2026-03-15');
    await expect(recordPlaybookExercise(ctx(), 'PB-001', { ...base, date: '15/03/2026' })).rejects.toThrow(
      /AAAA-MM-JJ/,
    );
    await expect(
      recordPlaybookExercise(ctx(), 'PB-001', { ...base, date: '2026-03-01', findings: ' ' }),
    ).rejects.toThrow(/enseignements/);
    await expect(reviewPlaybook(ctx(), 'PB-099', { by: 'x' })).rejects.toThrow(
      expect.objectContaining({ exitCode: 2 }),
    );
  });
});
