import { Flags } from '@oclif/core';
import path from 'node:path';
import type { InitResult } from '../app/init/index.js';
import { BaseCommand, inventoryFlag } from '../cli/index.js';
import { t } from '../i18n/index.js';

export default class InitCommand extends BaseCommand<typeof InitCommand> {
  static override summary =
    'Écrit un vigie.yml commenté, copie la bibliothèque des fiches réflexes et crée le répertoire de données.';
  static override description = `Écrit vigie.yml (ou le fichier de --inventory, mode 0600) pour la collectivité de --org, avec un actif « messagerie » pour les domaines de --domain (contrôles DNS et messagerie) ; les commentaires sont dans la langue de --lang.
Copie les fiches réflexes de vigie dans playbooks/ à côté du fichier (playbooks.dir), sauf si ce répertoire existe déjà, et crée le répertoire de données (VIGIE_DATA_DIR, sinon ~/.local/state/vigie ; voir vigie --help), mode 0700.
N’écrase jamais un fichier existant : code de sortie 2, rien n’est écrit. Le fichier écrit passe vigie inventory validate.`;
  static override examples = [
    '<%= config.bin %> init --org "Commune de Vigie" --domain vigie.fr --domain mairie-vigie.fr',
    '<%= config.bin %> init --org "City of Vigie" --lang en',
    '<%= config.bin %> init -i /etc/vigie/vigie.yml --org "Métropole Exemple"',
  ];
  static override flags = {
    org: Flags.string({ summary: 'Nom de la collectivité (organisation.name).' }),
    domain: Flags.string({
      summary: 'Domaine de messagerie à contrôler (répétable).',
      multiple: true,
      multipleNonGreedy: true,
    }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<InitResult> {
    const { initProject } = await import('../app/init/index.js');
    const result = initProject(this.ctx, {
      file: path.resolve(this.flags.inventory),
      ...(this.flags.org === undefined ? {} : { organisation: this.flags.org }),
      domains: this.flags.domain ?? [],
    });
    const l = this.lang;
    this.say(
      t(l, 'init.written', {
        file: result.file,
        organisation: result.organisation,
        domains: result.domains.length,
      }),
    );
    this.say(
      result.playbooks.kept
        ? t(l, 'init.playbooks.kept', { dir: result.playbooks.dir })
        : t(l, 'init.playbooks.copied', { dir: result.playbooks.dir, count: result.playbooks.copied }),
    );
    this.say(t(l, result.dataDirCreated ? 'init.data.created' : 'init.data.exists', { dir: result.dataDir }));
    this.say(t(l, 'init.next', { file: path.relative(process.cwd(), result.file) || result.file }));
    return result;
  }
}
