import { Args } from '@oclif/core';
import path from 'node:path';
import type { PlaybookDetail } from '../../app/playbooks-incidents/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { renderPlaybookDetail } from '../../report/index.js';

export default class PlaybookShowCommand extends BaseCommand<typeof PlaybookShowCommand> {
  static override summary =
    'Affiche une fiche réflexe : étapes par phase, contacts, obligations, déclencheurs, références.';
  static override examples = [
    '<%= config.bin %> playbook show PB-008',
    '<%= config.bin %> playbook show PB-001 --json',
  ];
  static override args = {
    id: Args.string({ required: true, description: 'Identifiant de la fiche (ex. PB-008).' }),
  };
  static override flags = { inventory: inventoryFlag() };

  async run(): Promise<PlaybookDetail> {
    const { showPlaybook } = await import('../../app/playbooks-incidents/index.js');
    const detail = await showPlaybook(this.ctx, this.args.id, {
      inventoryFile: path.resolve(this.flags.inventory),
    });
    this.say(renderPlaybookDetail(detail, this.lang));
    return detail;
  }
}
