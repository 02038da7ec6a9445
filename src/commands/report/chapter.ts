import { Flags } from '@oclif/core';
import path from 'node:path';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import type { TrustChapter } from '../../domain/index.js';
import { t } from '../../i18n/index.js';
import { renderChapterHtml, renderChapterMarkdown } from '../../report/index.js';

export default class ReportChapterCommand extends BaseCommand<typeof ReportChapterCommand> {
  static override summary =
    'Écrit les indicateurs du chapitre « confiance numérique » de la stratégie (revue annuelle REEN).';
  static override description = `En français, prêt à coller dans le document de stratégie : couverture de l’inventaire, indice de
posture et son évolution sur l’année, part des points d’accès notés A ou mieux, certificats renouvelés à
temps, services exposés fermés, délai médian de correction par sévérité, dérogations en vigueur. Chaque
indicateur dit comment il est calculé ; ceux dont les données n’existent pas encore (fiches réflexes,
incidents) sont signalés comme non disponibles, jamais inventés.`;
  static override examples = [
    '<%= config.bin %> report chapter',
    '<%= config.bin %> report chapter --year 2026 --format html --output chapitre-confiance-2026.html',
  ];
  static override flags = {
    year: Flags.integer({ summary: 'Année couverte (par défaut l’année en cours).', min: 2000, max: 2100 }),
    format: Flags.string({ char: 'f', options: ['md', 'html'], default: 'md', summary: 'Format.' }),
    output: Flags.string({ char: 'o', summary: 'Fichier à écrire (sinon la sortie standard).' }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<TrustChapter> {
    const { buildChapter, writeOutput } = await import('../../app/report/index.js');
    const chapter = await buildChapter(this.ctx, {
      year: this.flags.year ?? this.ctx.clock.now().getUTCFullYear(),
      inventoryFile: path.resolve(this.flags.inventory),
    });
    const content =
      this.flags.format === 'html' ? renderChapterHtml(chapter) : renderChapterMarkdown(chapter);
    if (this.flags.output) {
      this.say(t(this.lang, 'report.written', { path: writeOutput(this.flags.output, content) }));
    } else if (!this.jsonEnabled()) {
      process.stdout.write(content);
    }
    return chapter;
  }
}
