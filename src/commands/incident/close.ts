import { Args, Flags } from '@oclif/core';
import path from 'node:path';
import type { IncidentDetail } from '../../app/playbooks-incidents/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { t } from '../../i18n/index.js';

export default class IncidentCloseCommand extends BaseCommand<typeof IncidentCloseCommand> {
  static override summary =
    'Clôt un incident avec son dénouement ; ses échéances et son journal restent consultables.';
  static override examples = [
    '<%= config.bin %> incident close INC-2026-001 --outcome "Service rétabli depuis les sauvegardes ; aucune donnée exfiltrée"',
  ];
  static override args = {
    id: Args.string({ required: true, description: 'Identifiant de l’incident.' }),
  };
  static override flags = {
    outcome: Flags.string({ required: true, summary: 'Dénouement de l’incident (obligatoire).' }),
    by: Flags.string({ summary: 'Qui (par défaut : l’utilisateur du système).' }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<IncidentDetail> {
    const { closeIncident } = await import('../../app/playbooks-incidents/index.js');
    const detail = await closeIncident(this.ctx, this.args.id, this.flags.outcome, {
      ...(this.flags.by ? { by: this.flags.by } : {}),
      inventoryFile: path.resolve(this.flags.inventory),
    });
    this.say(t(this.lang, 'incident.closed', { id: detail.incident.id }));
    return detail;
  }
}
