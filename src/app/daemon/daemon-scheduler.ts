/** The jobs of the daemon; their expressions come from `schedule.<name>` of vigie.yml. */
export const DAEMON_JOBS = ['scan', 'digest', 'certificateAlerts', 'discovery'] as const;
export type DaemonJobName = (typeof DAEMON_JOBS)[number];

/** What a scheduler tick did: `skipped` when the same job was still running (no overlap). */
export type TickOutcome = 'ran' | 'skipped' | 'stopped';

/**
 * The scheduler as the daemon sees it (implemented in src/scheduler on croner's timers): the app layer
 * never imports a cron library, and tests drive ticks by hand.
 */
export interface DaemonScheduler {
  /** Arms the timers (no-op for a manual scheduler). */
  start(): void;
  /** Runs one job now unless it is already running or the scheduler is stopped. */
  tick(name: DaemonJobName): Promise<TickOutcome>;
  /** Next time the job fires after `after` (default: now), in the organisation's time zone. */
  nextRun(name: DaemonJobName, after?: Date): Date | undefined;
  /** Stops the timers, then waits (at most `graceMs`) for running jobs; true when none is left. */
  stop(graceMs: number): Promise<boolean>;
}

export interface SchedulerSpec {
  expressions: Record<DaemonJobName, string>;
  timeZone: string;
  run: (name: DaemonJobName) => Promise<void>;
  /** Called when a tick is skipped because the previous run of that job is still going. */
  onOverlap: (name: DaemonJobName) => void;
  now: () => Date;
  /** The file the expressions come from, for error messages. */
  file?: string;
}

/** Builds a scheduler; throws an InvalidFileError naming `schedule.<job>` for a bad expression. */
export type SchedulerFactory = (spec: SchedulerSpec) => DaemonScheduler;
