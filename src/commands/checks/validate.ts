import { Args } from '@oclif/core';
import path from 'node:path';
import { validateCatalogue } from '../../app/index.js';
import { BaseCommand } from '../../cli/index.js';
import { t } from '../../i18n/index.js';

export default class ChecksValidateCommand extends BaseCommand<typeof ChecksValidateCommand> {
  static override summary = 'Vérifie le catalogue des contrôles (checks/catalogue.yaml ou le fichier donné).';
  static override description =
    'Schéma, identifiants uniques, textes fr et en, gabarits cohérents, accord avec les contrôles implémentés. Code de sortie 3 si invalide.';
  static override examples = [
    '<%= config.bin %> checks validate',
    '<%= config.bin %> checks validate mon-catalogue.yaml',
  ];
  static override args = {
    file: Args.string({ description: 'Catalogue à vérifier (par défaut celui de vigie).' }),
  };

  async run(): Promise<{ valid: true; file: string; count: number }> {
    const report = validateCatalogue(this.args.file ? path.resolve(this.args.file) : undefined);
    this.say(t(this.lang, 'checks.valid', { count: report.checks.length }));
    return { valid: true, file: report.file, count: report.checks.length };
  }
}
