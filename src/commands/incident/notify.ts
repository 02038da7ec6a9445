import { Args, Flags } from '@oclif/core';
import path from 'node:path';
import type { IncidentDetail } from '../../app/playbooks-incidents/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { t } from '../../i18n/index.js';
import { CLOCK_IDS } from '../../playbooks/index.js';

export default class IncidentNotifyCommand extends BaseCommand<typeof IncidentNotifyCommand> {
  static override summary =
    'Enregistre qu’une obligation réglementaire est remplie (CNIL notifiée, alerte précoce NIS2 envoyée …).';
  static override description = `Échéances : rgpd-art33 (notification à la CNIL sous 72 h), nis2-early-warning (alerte précoce sous
24 h), nis2-notification (notification sous 72 h), nis2-final-report (rapport final sous un mois après la
notification). L’échéance est tenue si l’obligation est remplie avant son terme, sinon « faite en retard ».`;
  static override examples = [
    '<%= config.bin %> incident notify INC-2026-001 rgpd-art33',
    '<%= config.bin %> incident notify INC-2026-001 nis2-early-warning --at 2026-03-12T18:00:00+01:00',
  ];
  static override args = {
    id: Args.string({ required: true, description: 'Identifiant de l’incident.' }),
    clock: Args.string({ required: true, options: [...CLOCK_IDS], description: 'Échéance remplie.' }),
  };
  static override flags = {
    at: Flags.string({ summary: 'Quand (date-heure ISO 8601 ; par défaut maintenant).' }),
    by: Flags.string({ summary: 'Qui (par défaut : l’utilisateur du système).' }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<IncidentDetail> {
    const { notifyObligation } = await import('../../app/playbooks-incidents/index.js');
    const detail = await notifyObligation(this.ctx, this.args.id, this.args.clock, {
      ...(this.flags.at ? { at: this.flags.at } : {}),
      ...(this.flags.by ? { by: this.flags.by } : {}),
      inventoryFile: path.resolve(this.flags.inventory),
    });
    const clock = detail.clocks.find((c) => c.id === this.args.clock);
    this.say(
      t(this.lang, 'incident.notified', {
        id: detail.incident.id,
        clock: clock?.title[this.lang] ?? this.args.clock,
        state: t(this.lang, `clock-state.${clock?.state ?? 'met'}`),
      }),
    );
    return detail;
  }
}
