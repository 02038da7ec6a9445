import type { TrustChapter } from '../domain/index.js';
import { escapeHtml } from './escape-html.js';

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:0 auto;padding:1rem;color:#1a1a1a}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #bbb;padding:.35rem .5rem;text-align:left;vertical-align:top}
.method{color:#444;font-size:.9rem}.na{color:#666;font-style:italic}.wrap{overflow-x:auto}
@media print{body{max-width:none}h2{break-after:avoid}}`;

/** The trust chapter as one self-contained French HTML page (no script, no external resource). */
export function renderChapterHtml(c: TrustChapter): string {
  const e = escapeHtml;
  const period =
    c.period.from && c.period.to
      ? ` menée(s) du ${e(c.period.from.slice(0, 10))} au ${e(c.period.to.slice(0, 10))}`
      : '';
  const sections = c.indicators
    .map(
      (i) => `<section><h2>${e(i.title)}</h2>
<p${i.available ? '' : ' class="na"'}><strong>${e(i.value)}.</strong> ${e(i.comment)}</p>
${i.rows?.length ? `<div class="wrap"><table><tbody>${i.rows.map((r) => `<tr><th scope="row">${e(r.label)}</th><td>${e(r.value)}</td></tr>`).join('')}</tbody></table></div>` : ''}
<p class="method">Méthode : ${e(i.method)}</p></section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Confiance numérique — indicateurs ${c.year}</title><style>${STYLE}</style></head>
<body><h1>Confiance numérique — indicateurs ${c.year}</h1>
<p>${e(c.organisation)} — revue annuelle de la stratégie numérique responsable (loi REEN). Établi le ${e(c.generatedAt.slice(0, 10))} à partir de ${c.period.runs} analyse(s)${period}.</p>
<div class="wrap"><table><thead><tr><th scope="col">Indicateur</th><th scope="col">Valeur</th></tr></thead><tbody>
${c.indicators.map((i) => `<tr><td>${e(i.title)}</td><td>${e(i.value)}</td></tr>`).join('\n')}
</tbody></table></div>
${sections}
</body></html>
`;
}
