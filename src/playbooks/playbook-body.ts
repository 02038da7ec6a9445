import { PLAYBOOK_PHASES, type Issue, type PlaybookPhase, type PlaybookStep } from '../domain/index.js';

/** At least this many steps per phase. */
export const MIN_STEPS_PER_PHASE = 2;

const HEADING_2 = /^##\s+(.*?)\s*#*\s*$/;
const STEP = /^ {0,3}[-*+]\s+\[(.)\]\s*(.*)$/;
const CONTINUATION = /^\s{2,}\S/;

/** Headings compare without regard to case, and with either apostrophe (' or ’). */
const normalise = (heading: string): string =>
  heading.normalize('NFC').replace(/[’‘`]/g, "'").trim().toLowerCase();

const PHASE_BY_HEADING = new Map<string, number>(PLAYBOOK_PHASES.map((p, i) => [normalise(p.name), i]));

const phasePath = (index: number): string => `phases.${PLAYBOOK_PHASES[index]?.name ?? '?'}`;

interface OpenPhase {
  index: number;
  heading: string;
  line: number;
  intro: string[];
  steps: PlaybookStep[];
  /** Set once a step was seen: free text is no longer allowed (only continuation lines). */
  lastStep?: PlaybookStep;
}

export interface PlaybookBody {
  phases: PlaybookPhase[];
  issues: Issue[];
}

/**
 * Reads the Markdown body of a playbook: the six `##` phases of the IRM method, in order, each a
 * checklist (`- [ ] text`) of at least two steps, optionally preceded by free text. Step IDs are
 * derived from the phase and the rank (`PRE-1`, `RETEX-2`). Every problem comes back as an issue with
 * its path (`phases.Confinement`) and its line in the file (`firstLine` is the body's first line).
 */
export function parsePlaybookBody(body: string, firstLine: number): PlaybookBody {
  const issues: Issue[] = [];
  const issue = (path: string, line: number, message: string): void => {
    issues.push({ path, line, message });
  };
  const found: OpenPhase[] = [];
  let current: OpenPhase | undefined;
  let previousLineWasStep = false;

  body.split('\n').forEach((raw, i) => {
    const line = firstLine + i;
    const text = raw.trimEnd();
    const heading = HEADING_2.exec(text);
    if (heading !== null) {
      previousLineWasStep = false;
      const name = heading[1] ?? '';
      const index = PHASE_BY_HEADING.get(normalise(name));
      if (index === undefined) {
        issue(
          'phases',
          line,
          `titre de phase inconnu « ${name} » : les six phases sont, dans l’ordre, ${PLAYBOOK_PHASES.map((p) => p.name).join(', ')}`,
        );
        current = undefined;
        return;
      }
      const twice = found.find((p) => p.index === index);
      if (twice !== undefined) {
        issue(phasePath(index), line, `phase « ${name} » déjà ouverte ligne ${twice.line}`);
        current = undefined;
        return;
      }
      const last = found.at(-1);
      if (last !== undefined && last.index > index) {
        issue(
          phasePath(index),
          line,
          `phase « ${name} » hors d’ordre : elle vient avant « ${PLAYBOOK_PHASES[last.index]?.name ?? '?'} »`,
        );
      }
      current = { index, heading: name, line, intro: [], steps: [] };
      found.push(current);
      return;
    }
    if (current === undefined) {
      // Before the first phase (title, preamble) or under an unknown heading: not read.
      previousLineWasStep = false;
      return;
    }
    const code = PLAYBOOK_PHASES[current.index]?.code ?? 'PRE';
    const step = STEP.exec(text);
    if (step !== null) {
      previousLineWasStep = true;
      const stepId = `${code}-${current.steps.length + 1}`;
      const stepText = (step[2] ?? '').trim();
      if (step[1] !== ' ')
        issue(
          `${phasePath(current.index)}.${stepId}`,
          line,
          'case déjà cochée : écrivez « - [ ] » dans une fiche',
        );
      if (stepText === '') issue(`${phasePath(current.index)}.${stepId}`, line, 'étape sans texte');
      current.lastStep = { id: stepId, text: stepText };
      current.steps.push(current.lastStep);
      return;
    }
    if (text.trim() === '') {
      previousLineWasStep = false;
      if (current.lastStep === undefined) current.intro.push('');
      return;
    }
    if (current.lastStep !== undefined) {
      if (previousLineWasStep && CONTINUATION.test(text)) {
        current.lastStep.text = `${current.lastStep.text} ${text.trim()}`.trim();
        return;
      }
      previousLineWasStep = false;
      issue(
        phasePath(current.index),
        line,
        'texte après la liste d’étapes : placez-le avant la liste, ou faites-en une étape « - [ ] … »',
      );
      return;
    }
    current.intro.push(text);
  });

  const end = firstLine + Math.max(0, body.split('\n').length - 1);
  PLAYBOOK_PHASES.forEach((phase, index) => {
    if (found.some((p) => p.index === index)) return;
    const next = found.find((p) => p.index > index);
    issue(
      phasePath(index),
      next?.line ?? end,
      `phase « ${phase.name} » absente : les six phases sont obligatoires, dans l’ordre`,
    );
  });
  for (const p of found) {
    if (p.steps.length < MIN_STEPS_PER_PHASE) {
      issue(
        phasePath(p.index),
        p.line,
        `au moins ${MIN_STEPS_PER_PHASE} étapes « - [ ] … » attendues (trouvée(s) : ${p.steps.length})`,
      );
    }
  }

  const phases = found
    .slice()
    .sort((a, b) => a.index - b.index)
    .map((p): PlaybookPhase => {
      const intro = p.intro.join('\n').trim();
      return {
        name: p.heading,
        code: PLAYBOOK_PHASES[p.index]?.code ?? 'PRE',
        ...(intro === '' ? {} : { intro }),
        steps: p.steps,
      };
    });
  return { phases, issues };
}
