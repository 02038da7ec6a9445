import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/index.js';
import { t } from '../../i18n/index.js';
import { renderTable } from '../../report/index.js';
import type { StoreCopyResult } from '../../app/storage/index.js';

export default class StoreCopyCommand extends BaseCommand<typeof StoreCopyCommand> {
  static override summary =
    'Copie tout l’historique d’une base vers une autre, vide (SQLite → PostgreSQL ou l’inverse).';
  static override description = `Analyses, constats et leur historique, dérogations, rapports, courriels envoyés, état du démon,
registre des fiches réflexes, incidents et liens GitHub sont copiés table par table, en une transaction :
la cible ne garde rien si le nombre de lignes ou la somme de contrôle (SHA-256) d’une table diffère de la
source. Les deux bases sont d’abord mises au schéma courant ; la cible doit être vide. Emplacements :
sqlite:RÉPERTOIRE (le répertoire de données, ou son fichier vigie.db) ou postgres://utilisateur@hôte/base
(?schema=nom pour un autre schéma que vigie ; le mot de passe par PGPASSWORD ou ~/.pgpass).`;
  static override examples = [
    '<%= config.bin %> store copy --from sqlite:/var/lib/vigie --to postgres://vigie@db.example/vigie',
    '<%= config.bin %> store copy --from postgres://vigie@db.example/vigie --to sqlite:./sauvegarde --json',
  ];
  static override flags = {
    from: Flags.string({ required: true, summary: 'Base à copier : sqlite:RÉPERTOIRE ou postgres://…' }),
    to: Flags.string({
      required: true,
      summary: 'Base de destination, vide : sqlite:RÉPERTOIRE ou postgres://…',
    }),
  };

  async run(): Promise<StoreCopyResult> {
    const { copyStores } = await import('../../app/storage/index.js');
    const result = await copyStores(this.flags.from, this.flags.to);
    const l = this.lang;
    this.say(
      renderTable(
        [t(l, 'storecopy.table.table'), t(l, 'storecopy.table.rows'), t(l, 'storecopy.table.checksum')],
        result.tables.map((x) => [x.table, String(x.rows), x.checksum.slice(0, 16)]),
      ),
    );
    this.say(
      t(l, 'storecopy.copied', {
        rows: result.rows,
        tables: result.tables.length,
        from: result.from,
        to: result.to,
      }),
    );
    return result;
  }
}
