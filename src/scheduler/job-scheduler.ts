import {
  DAEMON_JOBS,
  type DaemonJobName,
  type DaemonScheduler,
  type SchedulerFactory,
  type SchedulerSpec,
  type TickOutcome,
} from '../app/daemon/index.js';
import { cronExpressionProblem, nextCronRun, startCronTimer, type CronTimer } from '../cron/index.js';
import { InvalidFileError, type Issue } from '../domain/index.js';

/** Every bad `schedule.<job>` expression at once (exit 3); inventory validation says the same. */
function validateSchedule(expressions: Record<DaemonJobName, string>, file = 'vigie.yml'): void {
  const issues: Issue[] = [];
  for (const job of DAEMON_JOBS) {
    const problem = cronExpressionProblem(expressions[job]);
    if (problem !== undefined) issues.push({ path: `schedule.${job}`, message: problem });
  }
  if (issues.length > 0) throw new InvalidFileError(file, issues);
}

/**
 * The daemon's scheduler. `tick(job)` is the single entry point of a run (a croner timer calls it,
 * tests call it by hand): a job still running is not started again (the tick is skipped and reported).
 * `nextRun` and the timers are the same croner schedule, so the next runs the daemon records for
 * `vigie daemon status` are the instants its timers fire. With `timers: false` nothing is armed.
 */
export function createJobScheduler(spec: SchedulerSpec, options: { timers?: boolean } = {}): DaemonScheduler {
  validateSchedule(spec.expressions, spec.file);
  const running = new Map<DaemonJobName, Promise<void>>();
  const timers: CronTimer[] = [];
  let stopped = false;

  const tick = async (name: DaemonJobName): Promise<TickOutcome> => {
    if (stopped) return 'stopped';
    if (running.has(name)) {
      spec.onOverlap(name);
      return 'skipped';
    }
    const run = spec.run(name).catch(() => undefined);
    running.set(name, run);
    try {
      await run;
    } finally {
      running.delete(name);
    }
    return 'ran';
  };

  return {
    start() {
      if (options.timers === false || stopped) return;
      for (const name of DAEMON_JOBS)
        timers.push(startCronTimer(spec.expressions[name], spec.timeZone, () => void tick(name)));
    },
    tick,
    nextRun: (name, after = spec.now()) => nextCronRun(spec.expressions[name], after, spec.timeZone),
    async stop(graceMs) {
      stopped = true;
      for (const timer of timers) timer.stop();
      timers.length = 0;
      if (running.size === 0) return true;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      });
      const idle = Promise.all([...running.values()]).then(() => true as const);
      try {
        return await Promise.race([idle, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The factory the daemon command passes to runDaemon. */
export const cronSchedulerFactory: SchedulerFactory = (spec) => createJobScheduler(spec);
