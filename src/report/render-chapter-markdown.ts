import type { TrustChapter } from '../domain/index.js';
import { escapeMarkdown } from './markdown-escape.js';

/**
 * The indicators section of the « confiance numérique » chapter, in French Markdown, written to be
 * pasted into the strategy document: each indicator with its value, a sentence, and its method.
 */
export function renderChapterMarkdown(c: TrustChapter): string {
  const out: string[] = [
    `## Confiance numérique — indicateurs ${c.year}`,
    '',
    `*${escapeMarkdown(c.organisation)} — revue annuelle de la stratégie numérique responsable (loi REEN). ` +
      `Établi le ${c.generatedAt.slice(0, 10)} à partir de ${c.period.runs} analyse(s)` +
      (c.period.from && c.period.to
        ? ` menée(s) du ${c.period.from.slice(0, 10)} au ${c.period.to.slice(0, 10)}`
        : '') +
      '.*',
    '',
    '| Indicateur | Valeur |',
    '|---|---|',
    ...c.indicators.map((i) => `| ${escapeMarkdown(i.title)} | ${escapeMarkdown(i.value)} |`),
    '',
  ];
  for (const i of c.indicators) {
    out.push(
      `### ${escapeMarkdown(i.title)}`,
      '',
      `**${escapeMarkdown(i.value)}.** ${escapeMarkdown(i.comment)}`,
      '',
    );
    if (i.rows?.length) {
      out.push(
        '| | |',
        '|---|---|',
        ...i.rows.map((r) => `| ${escapeMarkdown(r.label)} | ${escapeMarkdown(r.value)} |`),
        '',
      );
    }
    out.push(`*Méthode : ${escapeMarkdown(i.method)}*`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
