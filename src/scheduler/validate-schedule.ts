import { validateDetailed } from 'node-cron';
import type { DaemonJobName } from '../app/index.js';
import { InvalidFileError, type Issue } from '../domain/index.js';

/** Checks each `schedule.<job>` expression with node-cron; every bad one reported at once (exit 3). */
export function validateSchedule(expressions: Record<DaemonJobName, string>, file = 'vigie.yml'): void {
  const issues: Issue[] = [];
  for (const [job, expression] of Object.entries(expressions)) {
    const v = validateDetailed(expression);
    if (!v.valid) {
      const why = v.errors.map((e) => e.message).join(' ; ');
      issues.push({
        path: `schedule.${job}`,
        message: `expression cron invalide « ${expression} »${why ? ` (${why})` : ''} ; ex. "0 2 * * *"`,
      });
    }
  }
  if (issues.length > 0) throw new InvalidFileError(file, issues);
}
