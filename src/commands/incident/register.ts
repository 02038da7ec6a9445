import { Flags } from '@oclif/core';
import path from 'node:path';
import type { BreachRegisterRow } from '../../app/playbooks-incidents/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { t } from '../../i18n/index.js';
import { renderCsvTable } from '../../report/index.js';

const COLUMNS: (keyof BreachRegisterRow)[] = [
  'incident',
  'title',
  'awareAt',
  'status',
  'severity',
  'cnilNotifiedAt',
  'cnilDeadline',
  'cnilState',
  'facts',
  'measures',
  'outcome',
];

export default class IncidentRegisterCommand extends BaseCommand<typeof IncidentRegisterCommand> {
  static override summary = 'Registre des violations de données personnelles (RGPD art. 33.5), en CSV.';
  static override description = `Toutes les violations de données personnelles (incidents ouverts avec --personal-data), notifiées ou
non à la CNIL : date de prise de connaissance, faits (notes), mesures prises (étapes faites), notification
à la CNIL et son échéance, issue. À tenir à disposition de la CNIL.`;
  static override examples = [
    '<%= config.bin %> incident register --output registre-violations.csv',
    '<%= config.bin %> incident register --json',
  ];
  static override flags = {
    output: Flags.string({ char: 'o', summary: 'Fichier CSV à écrire (sinon la sortie standard).' }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<{ breaches: BreachRegisterRow[] }> {
    const { breachRegister, writeOutput } = await import('../../app/playbooks-incidents/index.js');
    const rows = await breachRegister(this.ctx, { inventoryFile: path.resolve(this.flags.inventory) });
    const csv = renderCsvTable(
      COLUMNS,
      rows.map((r) => COLUMNS.map((c) => r[c])),
    );
    if (this.flags.output)
      this.say(t(this.lang, 'report.written', { path: writeOutput(this.flags.output, csv) }));
    else if (!this.jsonEnabled()) process.stdout.write(csv);
    return { breaches: rows };
  }
}
