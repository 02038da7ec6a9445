import { validateCatalogue, type CatalogueReport } from '../../app/index.js';
import { BaseCommand } from '../../cli/index.js';
import { t } from '../../i18n/index.js';
import { renderTable } from '../../report/index.js';

export default class ChecksListCommand extends BaseCommand<typeof ChecksListCommand> {
  static override summary = 'Liste le catalogue des contrôles : identifiant, catégorie, sévérité, intitulé.';
  static override examples = [
    '<%= config.bin %> checks list',
    '<%= config.bin %> checks list --lang en --json',
  ];

  async run(): Promise<CatalogueReport> {
    const report = validateCatalogue();
    const l = this.lang;
    this.say(
      renderTable(
        [t(l, 'table.check'), t(l, 'checks.category'), t(l, 'table.severity'), t(l, 'table.title')],
        report.checks.map((c) => [c.id, c.category, t(l, `severity.${c.severity}`), c.title[l]]),
      ),
    );
    return report;
  }
}
