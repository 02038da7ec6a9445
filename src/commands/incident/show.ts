import { Args } from '@oclif/core';
import path from 'node:path';
import type { IncidentDetail } from '../../app/playbooks-incidents/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { renderIncidentDetail } from '../../report/index.js';

export default class IncidentShowCommand extends BaseCommand<typeof IncidentShowCommand> {
  static override summary =
    'Montre un incident : tâches par phase, notes, échéances réglementaires et chronologie complète.';
  static override examples = [
    '<%= config.bin %> incident show INC-2026-001',
    '<%= config.bin %> incident show INC-2026-001 --json',
  ];
  static override args = {
    id: Args.string({ required: true, description: 'Identifiant de l’incident (ex. INC-2026-001).' }),
  };
  static override flags = { inventory: inventoryFlag() };

  async run(): Promise<IncidentDetail> {
    const { showIncident } = await import('../../app/playbooks-incidents/index.js');
    const detail = await showIncident(this.ctx, this.args.id, {
      inventoryFile: path.resolve(this.flags.inventory),
    });
    this.say(renderIncidentDetail(detail, this.lang));
    return detail;
  }
}
