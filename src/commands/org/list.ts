import type { Organisation } from '../../app/organisations/index.js';
import { BaseCommand } from '../../cli/index.js';
import { t } from '../../i18n/index.js';
import { renderTable } from '../../report/index.js';

export default class OrgListCommand extends BaseCommand<typeof OrgListCommand> {
  static override summary = 'Liste les organisations enregistrées, leur inventaire et leurs groupes.';
  static override examples = ['<%= config.bin %> org list', '<%= config.bin %> org list --json'];
  static override selectsOrganisation = false;

  async run(): Promise<{ organisations: (Organisation & { dataDir: string })[] }> {
    const { baseOf, listOrganisations, organisationDataDir } =
      await import('../../app/organisations/index.js');
    const base = baseOf(this.ctx).baseDataDir;
    const organisations = listOrganisations(base).map((o) => ({
      ...o,
      dataDir: organisationDataDir(base, o.id),
    }));
    const l = this.lang;
    if (organisations.length === 0) this.say(t(l, 'orgs.list.empty'));
    else
      this.say(
        renderTable(
          [
            t(l, 'orgs.list.id'),
            t(l, 'orgs.list.name'),
            t(l, 'orgs.list.inventory'),
            t(l, 'orgs.list.groups'),
          ],
          organisations.map((o) => [o.id, o.name ?? '—', o.inventory, o.groups.join(', ') || '—']),
        ),
      );
    return { organisations };
  }
}
