import { Args, Flags } from '@oclif/core';
import path from 'node:path';
import type { PlaybookRegisterEntry } from '../../app/playbooks-incidents/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import type { PlaybookReview } from '../../domain/index.js';
import { t } from '../../i18n/index.js';

export default class PlaybookReviewCommand extends BaseCommand<typeof PlaybookReviewCommand> {
  static override summary = 'Enregistre la revue d’une fiche réflexe : sa prochaine revue repart de ce jour.';
  static override examples = [
    '<%= config.bin %> playbook review PB-008 --by RSSI --notes "contacts mis à jour"',
    '<%= config.bin %> playbook review PB-001 --by DSI --date 2026-03-12 --notes "revue du comité de mars"',
  ];
  static override description = `Les dates lastReviewed des fiches livrées sont celles de leurs auteurs, pas les revues de
l’organisation : une fiche n’est « revue » qu’une fois sa revue enregistrée ici (jamais revue avant).
--date enregistre une revue tenue un jour passé (avant l’installation de vigie, par exemple).`;
  static override args = {
    id: Args.string({ required: true, description: 'Identifiant de la fiche (ex. PB-008).' }),
  };
  static override flags = {
    by: Flags.string({ required: true, summary: 'Qui a revu la fiche (un nom ou un rôle).' }),
    notes: Flags.string({ summary: 'Ce qui a changé ou été confirmé.' }),
    date: Flags.string({
      summary: 'Jour de la revue, s’il est passé (AAAA-MM-JJ ; par défaut : maintenant).',
    }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<{ review: PlaybookReview; register: PlaybookRegisterEntry }> {
    const { reviewPlaybook } = await import('../../app/playbooks-incidents/index.js');
    const result = await reviewPlaybook(this.ctx, this.args.id, {
      by: this.flags.by,
      ...(this.flags.notes ? { notes: this.flags.notes } : {}),
      ...(this.flags.date ? { date: this.flags.date } : {}),
      inventoryFile: path.resolve(this.flags.inventory),
    });
    this.say(
      t(this.lang, 'playbook.reviewed', {
        id: result.review.playbookId,
        by: result.review.by,
        next: result.register.nextReviewDue,
      }),
    );
    return result;
  }
}
