import { Flags } from '@oclif/core';
import path from 'node:path';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { t } from '../../i18n/index.js';

export default class DaemonCommand extends BaseCommand<typeof DaemonCommand> {
  static override summary =
    'Démarre le démon au premier plan : analyses nocturnes, synthèse hebdomadaire, alertes.';
  static override description = `Planifie, dans le fuseau de l’organisation, les quatre tâches de schedule (vigie.yml) :
scan (analyse de l’inventaire, puis alertes sur les nouveaux constats), digest (synthèse hebdomadaire),
certificateAlerts (alertes d’expiration des certificats, relance des courriels en échec) et
discovery (vigie discover sur les domaines et plages de l’inventaire, chaque semaine par défaut).
Au démarrage, rattrape une analyse de plus de 26 h et une synthèse de la semaine non envoyée.
Journal en lignes JSON sur la sortie standard (secrets masqués), ou dans le fichier --log-file (mode 0600).
Un seul démon par répertoire de données (verrou daemon.lock, repris s’il est périmé).
SIGINT ou SIGTERM : termine le travail en cours puis sort avec le code 0.
Avec --distributed (VIGIE_REDIS_URL) : ne fait que planifier, dans Redis ; deux démons peuvent tourner (docs/distributed.md).`;
  static override examples = [
    '<%= config.bin %> daemon',
    'VIGIE_DATA_DIR=/var/lib/vigie <%= config.bin %> daemon -i /etc/vigie/vigie.yml',
    '<%= config.bin %> daemon --log-file /var/log/vigie/vigie.log',
    'VIGIE_REDIS_URL=redis://redis.exemple.fr:6379 <%= config.bin %> daemon --distributed',
  ];
  static override enableJsonFlag = false;
  static override flags = {
    inventory: inventoryFlag(),
    'log-file': Flags.string({
      summary: 'Écrire le journal dans ce fichier (ajout, mode 0600) plutôt que sur la sortie standard.',
    }),
    distributed: Flags.boolean({ summary: t('fr', 'cli.daemon.flag.distributed') }),
  };

  async run(): Promise<void> {
    const { defaultDaemonJobs, jsonLineLogger, openLogFile, runDaemon } =
      await import('../../app/daemon/index.js');
    const { cronSchedulerFactory } = await import('../../scheduler/index.js');
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    const logFile = this.flags['log-file'] === undefined ? undefined : openLogFile(this.flags['log-file']);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const log = logFile ? jsonLineLogger((line) => logFile.write(line)) : jsonLineLogger();
    const inventoryFile = path.resolve(this.flags.inventory);
    try {
      if (this.flags.distributed) {
        const { runDistributedDaemon } = await import('../../app/distributed/index.js');
        await runDistributedDaemon(this.ctx, { inventoryFile, signal: controller.signal, log });
      } else {
        await runDaemon(this.ctx, {
          inventoryFile,
          signal: controller.signal,
          log,
          jobs: defaultDaemonJobs(),
          scheduler: cronSchedulerFactory,
        });
      }
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      logFile?.close();
    }
    // A scan abandoned at the stop deadline may still hold sockets: do not let it delay the exit.
    setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
  }
}
