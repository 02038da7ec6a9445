import { describe, expect, it } from 'vitest';
import type { DaemonJobName, SchedulerSpec } from '../../src/app/daemon/index.js';
import { InvalidFileError } from '../../src/domain/index.js';
import { createJobScheduler } from '../../src/scheduler/index.js';

const EXPRESSIONS = {
  scan: '0 2 * * *',
  digest: '0 8 * * 1',
  certificateAlerts: '0 7 * * *',
  discovery: '0 12 * * 3',
};

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function spec(over: Partial<SchedulerSpec> = {}): SchedulerSpec {
  return {
    expressions: EXPRESSIONS,
    timeZone: 'Europe/Paris',
    run: async () => undefined,
    onOverlap: () => undefined,
    now: () => new Date('2026-11-28T19:00:00Z'),
    ...over,
  };
}

describe('the job scheduler (driven by hand, no timers)', () => {
  it('never runs a job twice at once: a tick during a run is skipped and reported', async () => {
    const gate = deferred();
    const runs: DaemonJobName[] = [];
    const overlaps: DaemonJobName[] = [];
    const s = createJobScheduler(
      spec({
        run: async (name) => {
          runs.push(name);
          if (name === 'scan') await gate.promise;
        },
        onOverlap: (name) => overlaps.push(name),
      }),
      { timers: false },
    );
    const first = s.tick('scan');
    expect(await s.tick('scan')).toBe('skipped');
    expect(await s.tick('digest')).toBe('ran'); // other jobs are not blocked
    gate.resolve();
    expect(await first).toBe('ran');
    expect(await s.tick('scan')).toBe('ran');
    expect(runs).toEqual(['scan', 'digest', 'scan']);
    expect(overlaps).toEqual(['scan']);
  });

  it('computes next runs from the injected clock in the organisation time zone', () => {
    const s = createJobScheduler(spec(), { timers: false });
    expect(s.nextRun('scan')).toEqual(new Date('2026-11-29T01:00:00Z'));
    expect(s.nextRun('digest')).toEqual(new Date('2026-11-30T07:00:00Z'));
  });

  it('stops taking work, waits (bounded) for the running job', async () => {
    const gate = deferred();
    const s = createJobScheduler(spec({ run: () => gate.promise }), { timers: false });
    const running = s.tick('scan');
    expect(await s.stop(20)).toBe(false);
    expect(await s.tick('digest')).toBe('stopped');
    gate.resolve();
    await running;
    expect(await s.stop(20)).toBe(true);
  });

  it('a job failure does not break the scheduler', async () => {
    const s = createJobScheduler(spec({ run: () => Promise.reject(new Error('boom')) }), { timers: false });
    expect(await s.tick('scan')).toBe('ran');
    expect(await s.tick('scan')).toBe('ran');
  });

  it('rejects a bad expression at start, naming schedule.<job> (exit 3)', () => {
    const bad = () =>
      createJobScheduler(spec({ expressions: { ...EXPRESSIONS, scan: '0 25 * * *', digest: 'lundi' } }), {
        timers: false,
      });
    expect(bad).toThrow(InvalidFileError);
    try {
      bad();
    } catch (error) {
      const e = error as InvalidFileError;
      expect(e.exitCode).toBe(3);
      expect(e.issues.map((i) => i.path)).toEqual(['schedule.scan', 'schedule.digest']);
      expect(e.message).toContain('0 25 * * *');
    }
  });
});
