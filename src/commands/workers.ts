import { BaseCommand } from '../cli/index.js';
import { t } from '../i18n/index.js';
import { renderTable } from '../report/index.js';
import type { WorkerBeat } from '../app/distributed/index.js';

export default class WorkersCommand extends BaseCommand<typeof WorkersCommand> {
  static override summary = t('fr', 'cli.workers.summary');
  static override description = t('fr', 'cli.workers.description');
  static override examples = t('fr', 'cli.workers.examples').split('\n');

  async run(): Promise<{ workers: WorkerBeat[] }> {
    const { listWorkers } = await import('../app/distributed/index.js');
    const workers = await listWorkers();
    const l = this.lang;
    if (workers.length === 0) this.say(t(l, 'cli.workers.none'));
    else {
      this.say(
        renderTable(
          [
            t(l, 'cli.workers.table.id'),
            t(l, 'cli.workers.table.host'),
            t(l, 'cli.workers.table.pid'),
            t(l, 'cli.workers.table.started'),
            t(l, 'cli.workers.table.beat'),
            t(l, 'cli.workers.table.jobs'),
          ],
          workers.map((w) => [w.id, w.host, String(w.pid), w.startedAt, w.lastBeatAt, w.jobs.join(' ')]),
        ),
      );
    }
    return { workers };
  }
}
