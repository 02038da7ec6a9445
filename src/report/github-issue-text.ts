import { createHash } from 'node:crypto';
import type { ReportFinding, Severity } from '../domain/index.js';
import { severityLabel } from '../i18n/index.js';

/** Texts vigie writes into GitHub issues for findings: always French (the issue's readers are the team). */

export const severityFr = (s: Severity): string => severityLabel('fr', s);

/** Hidden marker that makes the issue of a subject recoverable from GitHub alone. */
export function githubMarker(subject: string): string {
  return `<!-- vigie:${subject} -->`;
}

/** The subjects named by the markers of an issue body (`finding:<fingerprint>`, `incident:<id>`). */
export function markersIn(body: string): string[] {
  return [...body.matchAll(/<!-- vigie:((?:finding|incident):[A-Za-z0-9._:-]+) -->/g)].map((m) => m[1] ?? '');
}

/** Hash of what vigie controls in an issue (title and body, line endings normalised). */
export function issueContentHash(title: string, body: string): string {
  return createHash('sha256')
    .update(`${title}\n${body.replace(/\r\n/g, '\n').trimEnd()}`)
    .digest('hex');
}

/** A label name (GitHub: at most 50 characters, no comma kept). */
export function labelName(text: string): string {
  return text.replace(/,/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 50).trimEnd();
}

export function findingLabels(f: ReportFinding, prefix: string): string[] {
  return [
    prefix,
    `${prefix}:severity:${f.severity}`,
    ...(f.owner ? [labelName(`${prefix}:owner:${f.owner}`)] : []),
    labelName(`${prefix}:check:${f.checkId}`),
    `${prefix}:category:${f.category}`,
  ];
}

export function findingIssueTitle(f: ReportFinding): string {
  return `[vigie] ${f.title} — ${f.host}:${f.port}`;
}

/** Only what changes with the evidence: last seen and the status are left out (no update every run). */
export function findingIssueBody(f: ReportFinding): string {
  const where = [
    `\`${f.host}:${f.port}\``,
    ...(f.assetName ? [`actif « ${f.assetName} »`] : []),
    ...(f.owner ? [`responsable : ${f.owner}`] : []),
  ].join(', ');
  return [
    githubMarker(`finding:${f.fingerprint}`),
    `## ${f.title}`,
    '',
    `- **Gravité** : ${severityFr(f.severity)}`,
    `- **Contrôle** : \`${f.checkId}\` (catégorie ${f.category})`,
    `- **Où** : ${where}`,
    `- **Vu pour la première fois** : ${f.firstSeen}`,
    `- **Empreinte** : \`${f.fingerprint}\``,
    '',
    '### Constat',
    '',
    f.evidence,
    '',
    '### Remédiation',
    '',
    f.remediation,
    '',
    '### Fiche réflexe',
    '',
    f.playbook ? `${f.playbook} (voir \`vigie playbook show ${f.playbook}\`)` : 'aucune',
    ...(f.references.length > 0 ? ['', '### Références', '', ...f.references.map((r) => `- ${r}`)] : []),
    '',
    `_Ticket tenu à jour par vigie (\`vigie github sync\`) ; détail : \`vigie findings show ${f.fingerprint}\`._`,
  ].join('\n');
}
