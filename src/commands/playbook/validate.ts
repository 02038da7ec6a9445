import { Flags } from '@oclif/core';
import path from 'node:path';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { t } from '../../i18n/index.js';

export default class PlaybookValidateCommand extends BaseCommand<typeof PlaybookValidateCommand> {
  static override summary = 'Vérifie les fiches réflexes et leurs renvois avec le catalogue des contrôles.';
  static override description = `Chaque fichier PB-NNN-mot-cle.md : en-tête YAML (listes fermées des types d’incident et des obligations,
cadence de revue, date, identifiant égal à celui du nom de fichier, identifiants uniques), les six phases
dans l’ordre avec au moins deux étapes chacune, et des déclencheurs qui nomment des contrôles connus. Dans
l’autre sens, chaque champ « playbook » du catalogue, des services à risque et des contrôles personnalisés
doit nommer une fiche existante. Tous les problèmes d’un coup, avec fichier, chemin et ligne ; code de
sortie 3 si un fichier est invalide.`;
  static override examples = [
    '<%= config.bin %> playbook validate',
    '<%= config.bin %> playbook validate --dir fiches/',
  ];
  static override flags = {
    dir: Flags.string({
      summary:
        'Répertoire des fiches à vérifier (par défaut VIGIE_PLAYBOOKS_DIR, sinon playbooks.dir de vigie.yml, sinon playbooks/ du paquet).',
    }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<{ valid: true; dir: string; count: number; ids: string[]; references: number }> {
    const { validatePlaybooks } = await import('../../app/playbooks-incidents/index.js');
    const report = validatePlaybooks(
      this.flags.dir ? path.resolve(this.flags.dir) : this.ctx.playbooksDir,
      path.resolve(this.flags.inventory),
    );
    this.say(
      t(this.lang, 'playbook.valid', {
        count: report.playbooks.length,
        dir: report.dir,
        references: report.references,
      }),
    );
    return {
      valid: true,
      dir: report.dir,
      count: report.playbooks.length,
      ids: report.playbooks.map((p) => p.id),
      references: report.references,
    };
  }
}
