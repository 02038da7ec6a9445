import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DaemonJobName, SchedulerSpec } from '../../src/app/daemon/index.js';
import { createJobScheduler } from '../../src/scheduler/index.js';

// The shipped default schedule (DEFAULT_SCHEDULE), plus a job inside the hour that Paris skips in spring.
const EXPRESSIONS = {
  scan: '0 2 * * *',
  digest: '0 8 * * 1',
  certificateAlerts: '0 7 * * *',
  discovery: '0 12 * * 3',
};

afterEach(() => {
  vi.useRealTimers();
});

/** Wall time read by Intl (not by the code under test): `2026-03-29 03:00`. */
const wall = (date: Date, timeZone: string) =>
  date.toLocaleString('sv-SE', { timeZone, hour12: false }).slice(0, 16);

interface Fire {
  job: DaemonJobName;
  at: string;
}

/**
 * Arms the real timers of the daemon's scheduler under a fake clock from `from` to `to`, and returns
 * the runs (job, local wall time) with the next runs the scheduler announced before each of them.
 */
async function fireBetween(
  from: string,
  to: string,
  timeZone: string,
  expressions: SchedulerSpec['expressions'] = EXPRESSIONS,
): Promise<{ fired: Fire[]; announced: Fire[] }> {
  vi.useFakeTimers({
    now: new Date(from),
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
  const fired: Fire[] = [];
  const announced: Fire[] = [];
  const s = createJobScheduler({
    expressions,
    timeZone,
    run: async (job) => {
      fired.push({ job, at: new Date().toISOString() });
    },
    onOverlap: () => undefined,
    now: () => new Date(),
  });
  // What `vigie daemon status` would show, chained from one announced run to the next.
  for (const job of ['scan', 'digest', 'certificateAlerts'] as const) {
    let next = s.nextRun(job);
    while (next && next.getTime() <= Date.parse(to)) {
      announced.push({ job, at: next.toISOString() });
      next = s.nextRun(job, next);
    }
  }
  s.start();
  await vi.advanceTimersByTimeAsync(Date.parse(to) - Date.parse(from));
  expect(await s.stop(10)).toBe(true);
  const order = (a: Fire, b: Fire) => a.at.localeCompare(b.at) || a.job.localeCompare(b.job);
  return { fired: fired.sort(order), announced: announced.sort(order) };
}

const local = (fires: Fire[], timeZone: string) =>
  fires.map((f) => `${f.job} ${wall(new Date(f.at), timeZone)}`);

describe('the daemon’s timers across daylight-saving changes (fake clock, real scheduler)', () => {
  it('Paris, last Sunday of March: each job runs once; 02:00, which does not exist, runs at 03:00', async () => {
    const { fired, announced } = await fireBetween(
      '2026-03-28T23:00:00Z',
      '2026-03-29T05:30:00Z',
      'Europe/Paris',
    );
    expect(local(fired, 'Europe/Paris')).toEqual([
      'scan 2026-03-29 03:00',
      'certificateAlerts 2026-03-29 07:00',
    ]);
    expect(fired.map((f) => f.at)).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-29T05:00:00.000Z']);
    expect(announced).toEqual(fired);
  });

  it('Paris, last Sunday of October: 02:00 happens twice, the scan runs once, the first time', async () => {
    const { fired, announced } = await fireBetween(
      '2026-10-24T23:00:00Z',
      '2026-10-25T06:30:00Z',
      'Europe/Paris',
    );
    expect(local(fired, 'Europe/Paris')).toEqual([
      'scan 2026-10-25 02:00',
      'certificateAlerts 2026-10-25 07:00',
    ]);
    // 02:00 summer time; not again at 01:00Z (02:00 winter time).
    expect(fired.map((f) => f.at)).toEqual(['2026-10-25T00:00:00.000Z', '2026-10-25T06:00:00.000Z']);
    expect(announced).toEqual(fired);
  });

  it('the weekly digest runs at 08:00 on the Monday after each change', async () => {
    const spring = await fireBetween('2026-03-30T05:30:00Z', '2026-03-30T06:30:00Z', 'Europe/Paris');
    expect(spring.fired).toEqual([{ job: 'digest', at: '2026-03-30T06:00:00.000Z' }]);
    expect(spring.announced).toEqual(spring.fired);
    vi.useRealTimers();
    const autumn = await fireBetween('2026-10-26T06:30:00Z', '2026-10-26T07:30:00Z', 'Europe/Paris');
    expect(autumn.fired).toEqual([{ job: 'digest', at: '2026-10-26T07:00:00.000Z' }]);
    expect(autumn.announced).toEqual(autumn.fired);
  });

  it('a wall time inside the skipped hour (02:30) runs once too, right after the change', async () => {
    const expressions = { ...EXPRESSIONS, scan: '30 2 * * *' };
    const spring = await fireBetween(
      '2026-03-29T00:00:00Z',
      '2026-03-29T02:30:00Z',
      'Europe/Paris',
      expressions,
    );
    expect(local(spring.fired, 'Europe/Paris')).toEqual(['scan 2026-03-29 03:00']);
    expect(spring.announced).toEqual(spring.fired);
    vi.useRealTimers();
    const autumn = await fireBetween(
      '2026-10-24T23:00:00Z',
      '2026-10-25T02:30:00Z',
      'Europe/Paris',
      expressions,
    );
    expect(autumn.fired.map((f) => f.at)).toEqual(['2026-10-25T00:30:00.000Z']);
    expect(autumn.announced).toEqual(autumn.fired);
  });

  it('Tokyo (no daylight-saving time): the same night changes nothing', async () => {
    const { fired, announced } = await fireBetween(
      '2026-10-24T16:30:00Z',
      '2026-10-24T22:30:00Z',
      'Asia/Tokyo',
    );
    expect(local(fired, 'Asia/Tokyo')).toEqual([
      'scan 2026-10-25 02:00',
      'certificateAlerts 2026-10-25 07:00',
    ]);
    expect(fired.map((f) => f.at)).toEqual(['2026-10-24T17:00:00.000Z', '2026-10-24T22:00:00.000Z']);
    expect(announced).toEqual(fired);
  });
});
