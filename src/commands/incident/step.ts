import { Args, Flags } from '@oclif/core';
import path from 'node:path';
import type { IncidentDetail } from '../../app/playbooks-incidents/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { t } from '../../i18n/index.js';

export default class IncidentStepCommand extends BaseCommand<typeof IncidentStepCommand> {
  static override summary = 'Marque une étape de l’incident comme faite (done) ou passée (skipped).';
  static override examples = [
    '<%= config.bin %> incident step INC-2026-001 CON-1 done --note "VLAN isolé à 10 h 05"',
    '<%= config.bin %> incident step INC-2026-001 PRE-3 skipped --note "sans objet ici"',
  ];
  static override args = {
    id: Args.string({ required: true, description: 'Identifiant de l’incident.' }),
    step: Args.string({ required: true, description: 'Étape (ex. CON-1 ; voir incident show).' }),
    state: Args.string({ required: true, options: ['done', 'skipped'], description: 'done ou skipped.' }),
  };
  static override flags = {
    note: Flags.string({ summary: 'Ce qui a été fait, ou pourquoi l’étape est passée.' }),
    by: Flags.string({ summary: 'Qui (par défaut : l’utilisateur du système).' }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<IncidentDetail> {
    const { markIncidentStep } = await import('../../app/playbooks-incidents/index.js');
    const state = this.args.state as 'done' | 'skipped';
    const detail = await markIncidentStep(this.ctx, this.args.id, this.args.step, state, {
      ...(this.flags.note ? { note: this.flags.note } : {}),
      ...(this.flags.by ? { by: this.flags.by } : {}),
      inventoryFile: path.resolve(this.flags.inventory),
    });
    this.say(
      t(this.lang, 'incident.step-updated', {
        id: detail.incident.id,
        step: this.args.step.toUpperCase(),
        state: t(this.lang, `step-state.${state}`),
      }),
    );
    return detail;
  }
}
