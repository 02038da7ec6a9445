import { Flags } from '@oclif/core';
import type { DaemonStatus } from '../../app/daemon/index.js';
import type { DistributedScheduleStatus } from '../../app/distributed/index.js';
import path from 'node:path';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { ExitCode } from '../../domain/index.js';
import { t, type Lang } from '../../i18n/index.js';
import { renderTable } from '../../report/index.js';

export default class DaemonStatusCommand extends BaseCommand<typeof DaemonStatusCommand> {
  static override summary =
    'Dit si le démon tourne, et la dernière et la prochaine exécution de chaque tâche.';
  static override description = `Lit le battement de cœur que le démon écrit toutes les 30 s dans la base : il tourne si
le dernier date de moins de 2 minutes et que son processus existe.
--check, pour la supervision (HEALTHCHECK d’un conteneur, sonde Nagios/Icinga, minuteur systemd) :
code de sortie 0 si le démon tourne, 4 sinon.`;
  static override examples = [
    '<%= config.bin %> daemon status',
    '<%= config.bin %> daemon status --json',
    '<%= config.bin %> daemon status --check',
  ];
  static override flags = {
    inventory: inventoryFlag(),
    check: Flags.boolean({ summary: 'Code de sortie pour la supervision : 0 si le démon tourne, 4 sinon.' }),
  };

  async run(): Promise<DaemonStatus & { distributed?: DistributedScheduleStatus }> {
    const { daemonStatus, localDateTime } = await import('../../app/daemon/index.js');
    const { distributedSchedules } = await import('../../app/distributed/index.js');
    const status = await daemonStatus(this.ctx, path.resolve(this.flags.inventory));
    const distributed = await distributedSchedules();
    const l = this.lang;
    // Times on the organisation's wall clock (organisation.timezone), as its schedules are written;
    // --json keeps the instants in UTC.
    const local = (iso: string | undefined) => (iso ? localDateTime(iso, status.timeZone) : '');
    const params = {
      pid: status.pid ?? '',
      host: status.host ?? '',
      startedAt: local(status.startedAt),
      lastBeatAt: local(status.lastBeatAt),
    };
    if (status.running) this.say(t(l, 'daemon.running', params));
    else {
      this.say(t(l, 'daemon.notRunning'));
      this.say(status.pid === undefined ? t(l, 'daemon.never') : t(l, 'daemon.lastSeen', params));
    }
    if (status.pid !== undefined || status.jobs.length > 0)
      this.say(t(l, 'firstrun.daemon.time-zone', { timeZone: status.timeZone }));
    if (status.jobs.length > 0) {
      this.say(
        `\n${renderTable(
          [
            t(l, 'daemon.table.job'),
            t(l, 'daemon.table.last'),
            t(l, 'daemon.table.outcome'),
            t(l, 'daemon.table.next'),
            t(l, 'daemon.table.detail'),
          ],
          status.jobs.map((j) => [
            j.job,
            local(j.lastFinishedAt),
            j.lastOutcome ?? '',
            local(j.nextRunAt),
            j.lastDetail ?? '',
          ]),
        )}`,
      );
    }
    if (distributed) this.say(`\n${renderDistributedSchedules(distributed, l, local)}`);
    if (this.flags.check && !status.running) process.exitCode = ExitCode.Operational;
    return distributed ? { ...status, distributed } : status;
  }
}

/** The daemon's schedulers in Redis (distributed mode), with their next run from Redis. */
function renderDistributedSchedules(
  d: DistributedScheduleStatus,
  l: Lang,
  local: (iso: string | undefined) => string,
): string {
  if (!d.reachable) return t(l, 'dist-sched.status.unreachable', { url: d.redis });
  if (d.schedules.length === 0) return t(l, 'dist-sched.status.none', { url: d.redis });
  return `${t(l, 'dist-sched.status.title', { url: d.redis })}\n${renderTable(
    [
      t(l, 'dist-sched.status.table.schedule'),
      t(l, 'dist-sched.status.table.queue'),
      t(l, 'dist-sched.status.table.pattern'),
      t(l, 'dist-sched.status.table.next'),
    ],
    d.schedules.map((s) => [s.job, s.queue, s.pattern ?? '', local(s.nextRunAt)]),
  )}`;
}
