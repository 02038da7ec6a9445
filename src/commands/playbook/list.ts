import path from 'node:path';
import type { PlaybookRegisterEntry } from '../../app/playbooks-incidents/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { renderPlaybookRegister } from '../../report/index.js';
import { t } from '../../i18n/index.js';

export default class PlaybookListCommand extends BaseCommand<typeof PlaybookListCommand> {
  static override summary = 'Registre des fiches réflexes : revues, exercices et état de chaque fiche.';
  static override description = `Pour chaque fiche : responsable, dernière revue enregistrée par l’organisation avec
« vigie playbook review » (la date lastReviewed d’une fiche livrée est celle de son auteur et ne compte
pas), prochaine revue due selon sa cadence, dernier exercice, et son état : jamais revue par
l’organisation (never-reviewed), à jour (ok), revue à faire sous 30 jours (due), revue en retard
(overdue), jamais exercée (never-exercised). Les dates sont celles du fuseau de l’organisation (vigie.yml).`;
  static override examples = ['<%= config.bin %> playbook list', '<%= config.bin %> playbook list --json'];
  static override flags = { inventory: inventoryFlag() };

  async run(): Promise<{ playbooks: PlaybookRegisterEntry[] }> {
    const { listPlaybookRegister, playbooksDirOf } = await import('../../app/playbooks-incidents/index.js');
    const playbooks = await listPlaybookRegister(this.ctx, {
      inventoryFile: path.resolve(this.flags.inventory),
    });
    this.say(
      playbooks.length === 0
        ? t(this.lang, 'playbook.none', { dir: playbooksDirOf(this.ctx) })
        : renderPlaybookRegister(playbooks, this.lang),
    );
    return { playbooks };
  }
}
