import type { CatalogueReport } from '../../app/checks/index.js';
import { Flags } from '@oclif/core';
import path from 'node:path';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { t, severityLabel } from '../../i18n/index.js';
import { renderTable } from '../../report/index.js';

export default class ChecksListCommand extends BaseCommand<typeof ChecksListCommand> {
  static override summary = 'Liste le catalogue des contrôles : identifiant, catégorie, sévérité, intitulé.';
  static override description =
    'Contrôles intégrés, un par service à risque de checks/services.yaml, et contrôles personnalisés (checks/custom/, checks.custom de vigie.yml, --custom).';
  static override examples = [
    '<%= config.bin %> checks list',
    '<%= config.bin %> checks list --lang en --json',
  ];

  static override flags = {
    custom: Flags.string({
      summary: 'Répertoire de contrôles personnalisés à lister aussi (répétable).',
      multiple: true,
      multipleNonGreedy: true,
      default: [],
    }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<CatalogueReport> {
    const { validateCatalogue } = await import('../../app/checks/index.js');
    const report = validateCatalogue(
      undefined,
      this.flags.custom.map((d) => path.resolve(d)),
      path.resolve(this.flags.inventory),
      this.ctx.playbooksDir,
    );
    const l = this.lang;
    this.say(
      renderTable(
        [t(l, 'table.check'), t(l, 'checks.category'), t(l, 'table.severity'), t(l, 'table.title')],
        report.checks.map((c) => [c.id, c.category, severityLabel(l, c.severity), c.title[l]]),
      ),
    );
    return report;
  }
}
