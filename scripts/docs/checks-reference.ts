// docs/checks.md, generated from the check data (checks/catalogue.yaml, checks/services.yaml,
// checks/custom/) as vigie itself reads and validates it (`vigie checks list`): one row per check ID.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  builtinServices,
  CATALOGUE_FILE,
  loadAllCustomChecks,
  loadPlaybooks,
  PLAYBOOKS_DIR,
} from '../../src/app/shared/index.js';
import { validateCatalogue } from '../../src/app/checks/index.js';
import type { CheckMeta, Playbook, ServiceEntry } from '../../src/domain/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where the page lives: its links are relative to this directory. */
const PAGE_DIR = path.join(ROOT, 'docs');

/** Sections of the page, in order: a check's `category`, with custom checks apart. */
const SECTIONS: readonly { key: string; title: string }[] = [
  { key: 'tls', title: 'TLS (`tls`)' },
  { key: 'http', title: 'HTTP (`http`)' },
  { key: 'services', title: 'Services exposés (`services`)' },
  { key: 'dns', title: 'DNS et messagerie (`dns`)' },
  { key: 'scan', title: 'Santé de l’analyse (`scan`)' },
  { key: 'custom', title: 'Contrôles personnalisés livrés (`checks/custom/`)' },
];

const SEVERITY_FR: Readonly<Record<string, string>> = {
  info: 'info',
  low: 'faible',
  medium: 'moyenne',
  high: 'haute',
  critical: 'critique',
};

/** A table cell: one line, pipes escaped. */
const cell = (text: string): string => text.replace(/\s+/g, ' ').trim().replaceAll('|', '\\|');

const relative = (file: string): string => path.relative(PAGE_DIR, file).split(path.sep).join('/');

function playbookCell(id: string | undefined, library: readonly Playbook[]): string {
  if (id === undefined) return '—';
  const playbook = library.find((p) => p.id === id);
  return playbook === undefined ? id : `[${id}](${relative(playbook.file)})`;
}

function checkRow(check: CheckMeta, library: readonly Playbook[], file?: string): string {
  return [
    ...(file === undefined ? [] : [`[\`${path.basename(file)}\`](${relative(file)})`]),
    `\`${check.id}\``,
    `${SEVERITY_FR[check.severity] ?? check.severity} (\`${check.severity}\`)`,
    cell(check.title.fr),
    cell(check.title.en),
    cell(check.references.join(' · ')) || '—',
    playbookCell(check.playbook, library),
  ].join(' | ');
}

function checksTable(
  checks: readonly CheckMeta[],
  library: readonly Playbook[],
  files?: ReadonlyMap<string, string>,
): string[] {
  const fileColumn = files === undefined ? [] : ['fichier'];
  const header = [
    ...fileColumn,
    'identifiant',
    'sévérité',
    'intitulé',
    'title',
    'références',
    'fiche réflexe',
  ];
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...checks.map((c) => `| ${checkRow(c, library, files?.get(c.id))} |`),
  ];
}

function servicesTable(services: readonly ServiceEntry[]): string[] {
  return [
    '| service | libellé | alias (`expose:`) | ports | transport | sonde sûre | sévérité |',
    '|---|---|---|---|---|---|---|',
    ...services.map(
      (s) =>
        `| \`${s.name}\` | ${cell(s.label)} | ${s.aliases.map((a) => `\`${a}\``).join(', ') || '—'} | ${s.ports.join(', ')} | ${s.transport} | \`${s.probe}\` | ${SEVERITY_FR[s.severity] ?? s.severity} |`,
    ),
  ];
}

/** The whole text of docs/checks.md. */
export function renderChecksReference(): string {
  const report = validateCatalogue(CATALOGUE_FILE, [], undefined, PLAYBOOKS_DIR);
  const library = loadPlaybooks(PLAYBOOKS_DIR);
  const services = [...builtinServices().services.values()];
  const customFiles = new Map(loadAllCustomChecks().checks.map((c) => [c.id, c.file]));
  const sectionOf = (c: CheckMeta): string => (c.id.startsWith('custom.') ? 'custom' : c.category);
  const out: string[] = [
    '# Catalogue des contrôles',
    '',
    '<!-- Généré par `npm run docs` (scripts/docs/checks-reference.ts) : ne pas modifier à la main. -->',
    '',
    `Les ${report.checks.length} contrôles que vigie connaît, tels que \`vigie checks list\` les lit : ` +
      'les contrôles intégrés de [`checks/catalogue.yaml`](../checks/catalogue.yaml), un contrôle ' +
      '`service.exposed.<nom>` par service à risque de [`checks/services.yaml`](../checks/services.yaml) ' +
      '(et `service.<nom>.unauthenticated` quand son entrée a `unauthenticated:`), ' +
      'et les contrôles personnalisés livrés dans [`checks/custom/`](../checks/custom/README.md). ' +
      'Cette page est générée depuis ces fichiers par `npm run docs` ; un test échoue quand elle ne leur ' +
      'correspond plus. Preuves et corrections (fr, en) sont dans les fichiers eux-mêmes et dans ' +
      '`vigie checks list --json`.',
    '',
    '*English: every check ID vigie knows, generated from the files of `checks/` (`npm run docs`); ' +
      'titles in French and English, severity, references and the playbook a finding leads to.*',
    '',
    'Comment chaque famille est observée : [Ce que vigie vérifie](scanning.md). Ajouter un contrôle : ' +
      '[`checks/README.md`](../checks/README.md) ; un contrôle personnalisé, sans code : ' +
      '[`checks/custom/README.md`](../checks/custom/README.md).',
    '',
    '| famille | contrôles |',
    '|---|---|',
  ];
  for (const s of SECTIONS) {
    const count = report.checks.filter((c) => sectionOf(c) === s.key).length;
    if (count > 0) out.push(`| ${s.title} | ${count} |`);
  }
  for (const s of SECTIONS) {
    const checks = report.checks.filter((c) => sectionOf(c) === s.key);
    if (checks.length === 0) continue;
    out.push(
      '',
      `## ${s.title}`,
      '',
      ...checksTable(checks, library, s.key === 'custom' ? customFiles : undefined),
    );
    if (s.key === 'services') {
      out.push(
        '',
        '### Le catalogue des services à risque',
        '',
        'Chaque entrée de `checks/services.yaml` donne le contrôle `service.exposed.<nom>` ci-dessus ' +
          '(et `service.<nom>.unauthenticated` quand elle a `unauthenticated:`) ; ' +
          'les ports sont ceux qu’un hôte sans `ports:` reçoit en plus de ses ports web, la sonde sûre ' +
          'identifie le service sans jamais s’authentifier.',
        '',
        ...servicesTable(services),
      );
    }
  }
  return `${out.join('\n')}\n`;
}
