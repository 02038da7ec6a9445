import { createTask, type ScheduledTask } from 'node-cron';
import {
  DAEMON_JOBS,
  type DaemonJobName,
  type DaemonScheduler,
  type SchedulerFactory,
  type SchedulerSpec,
  type TickOutcome,
} from '../app/index.js';
import { nextRun } from './next-run.js';
import { validateSchedule } from './validate-schedule.js';

/**
 * The daemon's scheduler. `tick(job)` is the single entry point of a run (a node-cron timer calls it,
 * tests call it by hand): a job still running is not started again (the tick is skipped and reported).
 * With `timers: false` nothing is armed, so tests never wait for wall time.
 */
export function createJobScheduler(spec: SchedulerSpec, options: { timers?: boolean } = {}): DaemonScheduler {
  validateSchedule(spec.expressions, spec.file);
  const running = new Map<DaemonJobName, Promise<void>>();
  const tasks: ScheduledTask[] = [];
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
      for (const name of DAEMON_JOBS) {
        const task = createTask(spec.expressions[name], () => tick(name), {
          timezone: spec.timeZone,
          name: `vigie-${name}`,
        });
        tasks.push(task);
        void task.start();
      }
    },
    tick,
    nextRun: (name, after = spec.now()) => nextRun(spec.expressions[name], after, spec.timeZone),
    async stop(graceMs) {
      stopped = true;
      await Promise.all(tasks.map(async (task) => task.destroy()));
      tasks.length = 0;
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
