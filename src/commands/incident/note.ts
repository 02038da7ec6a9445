import { Args, Flags } from '@oclif/core';
import path from 'node:path';
import type { IncidentDetail } from '../../app/playbooks-incidents/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { t } from '../../i18n/index.js';

export default class IncidentNoteCommand extends BaseCommand<typeof IncidentNoteCommand> {
  static override summary = 'Ajoute une note datée au journal de l’incident.';
  static override examples = [
    '<%= config.bin %> incident note INC-2026-001 "Le prestataire confirme la restauration depuis la sauvegarde du 11/03."',
  ];
  static override args = {
    id: Args.string({ required: true, description: 'Identifiant de l’incident.' }),
    text: Args.string({ required: true, description: 'Texte de la note.' }),
  };
  static override flags = {
    by: Flags.string({ summary: 'Qui (par défaut : l’utilisateur du système).' }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<IncidentDetail> {
    const { addIncidentNote } = await import('../../app/playbooks-incidents/index.js');
    const detail = await addIncidentNote(this.ctx, this.args.id, this.args.text, {
      ...(this.flags.by ? { by: this.flags.by } : {}),
      inventoryFile: path.resolve(this.flags.inventory),
    });
    this.say(t(this.lang, 'incident.noted', { id: detail.incident.id }));
    return detail;
  }
}
