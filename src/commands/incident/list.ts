import { Flags } from '@oclif/core';
import path from 'node:path';
import type { IncidentSummary } from '../../app/playbooks-incidents/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { renderIncidentList } from '../../report/index.js';
import { t } from '../../i18n/index.js';

export default class IncidentListCommand extends BaseCommand<typeof IncidentListCommand> {
  static override summary = 'Liste les incidents ouverts avec leur prochaine échéance réglementaire.';
  static override description = `Pour chaque incident : sévérité, fiche suivie, avancement des étapes et la prochaine échéance non
tenue (heure locale de l’organisation, temps restant ou retard). --json expose toutes les échéances.`;
  static override examples = [
    '<%= config.bin %> incident list',
    '<%= config.bin %> incident list --all --json',
  ];
  static override flags = {
    all: Flags.boolean({ summary: 'Inclure les incidents clos.' }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<{ incidents: IncidentSummary[] }> {
    const { listIncidents, configuredTimeZone } = await import('../../app/playbooks-incidents/index.js');
    const inventoryFile = path.resolve(this.flags.inventory);
    const incidents = await listIncidents(this.ctx, { all: this.flags.all, inventoryFile });
    if (incidents.length === 0) {
      this.say(t(this.lang, this.flags.all ? 'incident.none-at-all' : 'incident.none'));
    } else {
      this.say(renderIncidentList(incidents, configuredTimeZone(inventoryFile), this.lang));
    }
    return { incidents };
  }
}
