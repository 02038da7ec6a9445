import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PlaybookFixture {
  id?: string;
  slug?: string;
  reviewEvery?: string;
  lastReviewed?: string;
  triggers?: string[];
  obligations?: string[];
  /** Replaces the whole front matter's YAML (between the `---` lines). */
  frontMatter?: string;
  /** Replaces the whole body. */
  body?: string;
}

const PHASES = [
  'Préparation',
  'Identification',
  'Confinement',
  'Remédiation',
  'Récupération',
  "Retour d'expérience",
];

/** A valid body: the six phases, each with an intro line and two or three steps. */
export function validBody(): string {
  return [
    '# Fiche de test',
    '',
    ...PHASES.flatMap((phase, i) => [
      `## ${phase}`,
      `Contexte de la phase ${phase}.`,
      '',
      `- [ ] Première étape de ${phase}.`,
      `- [ ] Deuxième étape de ${phase},`,
      '  sur deux lignes.',
      ...(i === 2 ? [`- [ ] Troisième étape de ${phase}.`] : []),
      '',
    ]),
  ].join('\n');
}

/** The text of a playbook file (front matter + body), valid unless told otherwise. */
export function playbookText(f: PlaybookFixture = {}): string {
  const id = f.id ?? 'PB-001';
  const front =
    f.frontMatter ??
    [
      `id: ${id}`,
      'title: { fr: Fiche de test, en: Test playbook }',
      'summary:',
      '  fr: À ouvrir pour les tests.',
      '  en: Open it in tests.',
      'owner: RSSI',
      `reviewEvery: ${f.reviewEvery ?? '12mo'}`,
      `lastReviewed: ${f.lastReviewed ?? '2026-01-15'}`,
      'incidentTypes: [certificate]',
      ...((f.triggers ?? ['tls.cert.expired']).length === 0
        ? ['triggers: []']
        : ['triggers:', ...(f.triggers ?? ['tls.cert.expired']).map((t) => `  - ${t}`)]),
      `obligations: [${(f.obligations ?? ['rgpd-art33', 'nis2-art23']).join(', ')}]`,
      'contacts:',
      '  - { role: RSSI, for: pilote la réponse }',
      'references:',
      '  - ANSSI, guide de test',
    ].join('\n');
  return `---\n${front}\n---\n${f.body ?? validBody()}`;
}

/** A temporary playbook directory holding the given files (name → text); removed by `cleanup`. */
export function playbookDir(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-playbooks-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
