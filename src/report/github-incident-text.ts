import type { Incident } from '../domain/index.js';
import type { RegulatoryClock } from '../playbooks/index.js';
import { githubMarker, labelName, severityFr } from './github-issue-text.js';

/** The issue of an incident: its task list as GitHub checkboxes, its regulatory clocks. */

const CLOCK_STATE_FR: Record<RegulatoryClock['state'], string> = {
  due: 'à tenir',
  overdue: '**en retard**',
  met: 'respectée',
  'met-late': 'respectée en retard',
};

export function incidentLabels(i: Incident, prefix: string): string[] {
  return [
    prefix,
    `${prefix}:incident`,
    `${prefix}:severity:${i.severity}`,
    labelName(`${prefix}:playbook:${i.playbookId}`),
  ];
}

export function incidentIssueTitle(i: Incident): string {
  return `[vigie] ${i.id} — ${i.title}`;
}

export function incidentIssueBody(i: Incident, clocks: readonly RegulatoryClock[]): string {
  const clockLines =
    clocks.length === 0
      ? ['Aucune échéance réglementaire (ni données personnelles, ni incident NIS2 significatif).']
      : [
          '| Obligation | Autorité | Échéance | État |',
          '|---|---|---|---|',
          ...clocks.map(
            (c) =>
              `| ${c.title.fr} | ${c.authority.fr} | ${c.dueLocal.fr} | ${CLOCK_STATE_FR[c.state]}${c.metAt ? ` (${c.metAt})` : ''} |`,
          ),
        ];
  return [
    githubMarker(`incident:${i.id}`),
    `## Incident ${i.id} — ${i.title}`,
    '',
    `- **Fiche réflexe** : ${i.playbookId}`,
    `- **Gravité** : ${severityFr(i.severity)}`,
    `- **Prise de connaissance** : ${i.awareAt}`,
    `- **Ouvert par** : ${i.openedBy}`,
    ...(i.fromFingerprint ? [`- **Constat d’origine** : \`${i.fromFingerprint}\``] : []),
    '',
    '### Échéances réglementaires',
    '',
    ...clockLines,
    '',
    '### Tâches',
    '',
    '_Cochez une case ici : l’étape sera marquée faite dans vigie à la prochaine synchronisation._',
    '',
    ...i.steps.map(
      (s) =>
        `- [${s.state === 'pending' ? ' ' : 'x'}] ${s.stepId} ${s.text}${s.state === 'skipped' ? ' _(sans objet)_' : ''}`,
    ),
  ].join('\n');
}

/** Step IDs whose box is ticked in an issue body. */
export function tickedSteps(body: string): Set<string> {
  const ticked = new Set<string>();
  for (const m of body.matchAll(/^\s*[-*] \[[xX]\] ([A-Z]{2,5}-\d+)\b/gm)) if (m[1]) ticked.add(m[1]);
  return ticked;
}
