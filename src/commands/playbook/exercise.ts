import { Args, Flags } from '@oclif/core';
import path from 'node:path';
import type { PlaybookRegisterEntry } from '../../app/playbooks-incidents/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { EXERCISE_KINDS, type ExerciseKind, type PlaybookExercise } from '../../domain/index.js';
import { t } from '../../i18n/index.js';

export default class PlaybookExerciseCommand extends BaseCommand<typeof PlaybookExerciseCommand> {
  static override summary =
    'Consigne un exercice sur une fiche réflexe (sur table ou technique) et ses enseignements.';
  static override examples = [
    '<%= config.bin %> playbook exercise PB-001 --date 2026-03-12 --kind tabletop --participants 8 --findings "numéros d’astreinte à jour ; sauvegardes hors ligne non testées"',
  ];
  static override args = {
    id: Args.string({ required: true, description: 'Identifiant de la fiche (ex. PB-001).' }),
  };
  static override flags = {
    date: Flags.string({ required: true, summary: 'Jour de l’exercice (AAAA-MM-JJ, pas dans le futur).' }),
    kind: Flags.string({
      required: true,
      options: [...EXERCISE_KINDS],
      summary: 'Exercice sur table ou technique.',
    }),
    participants: Flags.integer({ required: true, min: 1, summary: 'Nombre de participants.' }),
    findings: Flags.string({ required: true, summary: 'Enseignements de l’exercice (retour d’expérience).' }),
    by: Flags.string({ summary: 'Qui consigne l’exercice (par défaut : l’utilisateur du système).' }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<{ exercise: PlaybookExercise; register: PlaybookRegisterEntry }> {
    const { recordPlaybookExercise } = await import('../../app/playbooks-incidents/index.js');
    const result = await recordPlaybookExercise(this.ctx, this.args.id, {
      date: this.flags.date,
      kind: this.flags.kind as ExerciseKind,
      participants: this.flags.participants,
      findings: this.flags.findings,
      ...(this.flags.by ? { by: this.flags.by } : {}),
      inventoryFile: path.resolve(this.flags.inventory),
    });
    const e = result.exercise;
    this.say(
      t(this.lang, 'playbook.exercised', {
        id: e.playbookId,
        date: e.date,
        kind: t(this.lang, `exercise-kind.${e.kind}`),
        participants: e.participants,
      }),
    );
    return result;
  }
}
