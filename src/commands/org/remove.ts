import { Args } from '@oclif/core';
import type { Organisation } from '../../app/organisations/index.js';
import { BaseCommand } from '../../cli/index.js';
import { t } from '../../i18n/index.js';

export default class OrgRemoveCommand extends BaseCommand<typeof OrgRemoveCommand> {
  static override summary = 'Retire une organisation du registre ; ses données sont conservées.';
  static override examples = ['<%= config.bin %> org remove commune-a'];
  static override args = {
    id: Args.string({ required: true, description: 'Identifiant de l’organisation.' }),
  };
  static override selectsOrganisation = false;

  async run(): Promise<{ removed: Organisation }> {
    const { removeOrganisation } = await import('../../app/organisations/index.js');
    const removed = removeOrganisation(this.ctx, this.args.id);
    this.say(t(this.lang, 'orgs.removed', { id: removed.id }));
    return { removed };
  }
}
