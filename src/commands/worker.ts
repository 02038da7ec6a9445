import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/index.js';
import { t } from '../i18n/index.js';

export default class WorkerCommand extends BaseCommand<typeof WorkerCommand> {
  static override summary = t('fr', 'cli.worker.summary');
  static override description = t('fr', 'cli.worker.description');
  static override examples = t('fr', 'cli.worker.examples').split('\n');
  static override enableJsonFlag = false;
  static override flags = {
    concurrency: Flags.integer({
      summary: t('fr', 'cli.worker.flag.concurrency'),
      min: 1,
      max: 256,
      default: 1,
    }),
    queues: Flags.string({ summary: t('fr', 'cli.worker.flag.queues'), default: 'scan' }),
  };

  async run(): Promise<void> {
    const { runWorker } = await import('../app/distributed/index.js');
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const queues = this.flags.queues
      .split(',')
      .map((q) => q.trim())
      .filter(Boolean);
    try {
      await runWorker(this.ctx, {
        concurrency: this.flags.concurrency,
        queues,
        stop: stopped,
        onEvent: (event, id) =>
          this.logToStderr(
            event === 'ready'
              ? t(this.lang, 'cli.worker.ready', {
                  id,
                  queues: queues.join(','),
                  concurrency: this.flags.concurrency,
                })
              : t(this.lang, 'cli.worker.stopped', { id }),
          ),
      });
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    // Sockets of a job cut short must not delay the exit.
    setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
  }
}
