import { Args, Flags } from '@oclif/core';
import path from 'node:path';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { t } from '../../i18n/index.js';

export default class ChecksValidateCommand extends BaseCommand<typeof ChecksValidateCommand> {
  static override summary =
    'Vérifie le catalogue des contrôles, les services à risque et les contrôles personnalisés.';
  static override description = `Schéma, identifiants uniques, textes fr et en, gabarits cohérents, accord avec les contrôles implémentés ;
checks/services.yaml ; les contrôles personnalisés de checks/custom/ et des répertoires --custom, dont les cas
« match » et « noMatch » doivent se comporter comme déclaré. Code de sortie 3 si un fichier est invalide.`;
  static override examples = [
    '<%= config.bin %> checks validate',
    '<%= config.bin %> checks validate --custom controles/',
    '<%= config.bin %> checks validate mon-catalogue.yaml',
  ];
  static override args = {
    file: Args.string({ description: 'Catalogue à vérifier (par défaut checks/catalogue.yaml).' }),
  };
  static override flags = {
    inventory: inventoryFlag(),
    custom: Flags.string({
      summary: 'Répertoire de contrôles personnalisés à vérifier aussi (répétable).',
      multiple: true,
      multipleNonGreedy: true,
      default: [],
    }),
  };

  async run(): Promise<{ valid: true; file: string; count: number; services: number; custom: number }> {
    const { validateCatalogue } = await import('../../app/checks/index.js');
    const report = validateCatalogue(
      this.args.file ? path.resolve(this.args.file) : undefined,
      this.flags.custom.map((d) => path.resolve(d)),
      path.resolve(this.flags.inventory),
      this.ctx.playbooksDir,
    );
    const counts = { count: report.checks.length, services: report.services, custom: report.custom };
    this.say(t(this.lang, 'checks.valid', counts));
    return { valid: true, file: report.file, ...counts };
  }
}
