import type { ProfileListEntry } from '../../app/checks/index.js';
import { BaseCommand } from '../../cli/index.js';
import { t } from '../../i18n/index.js';
import { renderTable } from '../../report/index.js';

export default class ChecksProfilesCommand extends BaseCommand<typeof ChecksProfilesCommand> {
  static override summary = 'Liste les profils TLS (ANSSI, Mozilla) : nom@version, intitulé, source.';
  static override description =
    'Profils livrés comme données dans checks/profiles/ ; chacun se choisit par `vigie scan --profile NOM[@VERSION]` ou `profile:` (organisation ou actif) dans vigie.yml. Sans version, la plus récente. Les cas de chaque profil sont rejoués : la colonne « cas » dit combien concordent.';
  static override examples = [
    '<%= config.bin %> checks profiles',
    '<%= config.bin %> checks profiles --json',
  ];

  async run(): Promise<ProfileListEntry[]> {
    const { listTlsProfiles } = await import('../../app/checks/index.js');
    const profiles = listTlsProfiles();
    const l = this.lang;
    this.say(t(l, 'tls-profile.list.header'));
    this.say(
      renderTable(
        [
          t(l, 'tls-profile.list.profile'),
          t(l, 'table.title'),
          t(l, 'tls-profile.list.source'),
          t(l, 'tls-profile.list.cases'),
        ],
        profiles.map((p) => [
          p.ref,
          p.title[l],
          `${p.source.name}${p.source.published ? ` (${p.source.published})` : ''}`,
          `${p.cases.agreeing}/${p.cases.total}`,
        ]),
      ),
    );
    return profiles;
  }
}
