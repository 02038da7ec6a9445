import type { StoreMigration } from '../../app/storage/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { t } from '../../i18n/index.js';

export default class StoreMigrateCommand extends BaseCommand<typeof StoreMigrateCommand> {
  static override summary =
    'Met le schéma de la base à jour (SQLite ou PostgreSQL) et dit laquelle est utilisée.';
  static override description = `Toutes les commandes appliquent d’elles-mêmes les migrations en attente ; celle-ci le fait seule,
par exemple avant de démarrer plusieurs démons sur une même base PostgreSQL. La base est celle de
VIGIE_DATABASE_URL, sinon de store.url dans vigie.yml (sans mot de passe : PGPASSWORD ou ~/.pgpass), sinon
le fichier vigie.db du répertoire de données. Une base d’une version plus récente que ce vigie est refusée
sans être modifiée (code de sortie 4).`;
  static override examples = [
    '<%= config.bin %> store migrate',
    'VIGIE_DATABASE_URL=postgres://vigie@db.example/vigie <%= config.bin %> store migrate',
  ];
  static override flags = { inventory: inventoryFlag() };

  async run(): Promise<StoreMigration> {
    const { migrateStore } = await import('../../app/storage/index.js');
    const done = await migrateStore(this.ctx);
    this.say(t(this.lang, 'storecopy.migrated', { backend: done.backend, location: done.location }));
    return done;
  }
}
