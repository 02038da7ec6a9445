import { addUniqueJob, type JobSchedulerSpec } from '../../queue/index.js';
import type { ScheduledJobData } from './daemon-schedules.js';
import type { QueueSettings } from './queue-settings.js';

/**
 * The id of one occurrence of a schedule: the id BullMQ gives the job its scheduler makes for that
 * fire time (`repeat:<scheduler id>:<ms>`). A catch-up of a missed occurrence uses it too, so that
 * two daemons catching up, or a catch-up and the scheduler, make one job.
 */
export const occurrenceJobId = (scheduleId: string, firedAtMs: number): string =>
  `repeat:${scheduleId}:${firedAtMs}`;

/**
 * Adds the job of one past occurrence of `spec` (a catch-up), unless a job of that id is in Redis
 * (waiting, running, or kept a day after it ended). Never for a future fire time: the scheduler
 * will make that job itself. `id` replaces the occurrence id (a catch-up without a fire time).
 */
export async function enqueueOccurrence(
  settings: QueueSettings,
  spec: JobSchedulerSpec,
  firedAt: Date,
  id: string = occurrenceJobId(spec.id, firedAt.getTime()),
): Promise<boolean> {
  const data: ScheduledJobData = { ...(spec.data as ScheduledJobData), firedAt: firedAt.toISOString() };
  return addUniqueJob(settings.connection, spec.queue, { name: spec.name, id, data }, settings.tuning);
}
