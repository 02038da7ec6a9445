import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ChecksValidateCommand from '../../src/commands/checks/validate.js';
import PlaybookExerciseCommand from '../../src/commands/playbook/exercise.js';
import PlaybookListCommand from '../../src/commands/playbook/list.js';
import PlaybookReviewCommand from '../../src/commands/playbook/review.js';
import PlaybookShowCommand from '../../src/commands/playbook/show.js';
import PlaybookValidateCommand from '../../src/commands/playbook/validate.js';
import type { PlaybookDetail, PlaybookRegisterEntry } from '../../src/app/playbooks-incidents/index.js';
import { playbookText } from '../helpers/playbook-fixture.js';
import { runCommand } from '../helpers/run-command.js';

const SHIPPED = new URL('../../playbooks/', import.meta.url).pathname;
const CATALOGUE = new URL('../../checks/catalogue.yaml', import.meta.url).pathname;

let dir = '';
let env: Record<string, string | undefined> = {};
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-playbook-cmd-'));
  env = { VIGIE_DATA_DIR: path.join(dir, 'data'), VIGIE_PLAYBOOKS_DIR: undefined, VIGIE_LANG: undefined };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A copy of the shipped library, changed by `edit`. */
function libraryCopy(edit: (dir: string) => void): string {
  const copy = path.join(dir, 'fiches');
  fs.cpSync(SHIPPED, copy, { recursive: true });
  edit(copy);
  return copy;
}

describe('vigie playbook validate', () => {
  it('accepts the shipped library and its references from the checks', async () => {
    const out = await runCommand(PlaybookValidateCommand, ['--json'], env);
    expect(out.exitCode).toBe(0);
    const result = out.json<{ valid: boolean; count: number; ids: string[]; references: number }>();
    expect(result).toMatchObject({ valid: true, count: 12 });
    expect(result.references).toBeGreaterThan(0);
  });

  it('reports a broken playbook with file, path and line, exit 3', async () => {
    const fiches = path.join(dir, 'cassees');
    fs.mkdirSync(fiches);
    fs.writeFileSync(
      path.join(fiches, 'PB-001-test.md'),
      playbookText({ triggers: ['tls.cert.expird'], reviewEvery: 'annuel' }),
    );
    const out = await runCommand(PlaybookValidateCommand, ['--dir', fiches], env);
    expect(out.exitCode).toBe(3);
    expect(out.stderr).toContain('PB-001-test.md › reviewEvery (ligne 8)');
    expect(out.stderr).toContain(
      'PB-001-test.md › triggers[0] (ligne 12) : contrôle inconnu « tls.cert.expird »',
    );
    const json = await runCommand(PlaybookValidateCommand, ['--dir', fiches, '--json'], env);
    expect(
      json.json<{ error: { issues: { path: string; line: number }[] } }>().error.issues.map((i) => i.path),
    ).toEqual(['reviewEvery', 'triggers[0]']);
  });

  it('fails both ways on a dangling reference: a trigger naming no check, a check naming no playbook', async () => {
    const badTrigger = libraryCopy((copy) => {
      const file = path.join(copy, 'PB-008-certificat-expire-ou-compromis.md');
      fs.writeFileSync(
        file,
        // An organisation's copy adding a trigger: it must name a known check.
        fs
          .readFileSync(file, 'utf8')
          .replace(
            'incidentTypes: [certificate]\n',
            'incidentTypes: [certificate]\ntriggers:\n  - tls.cert.perime\n',
          ),
      );
    });
    for (const Cmd of [PlaybookValidateCommand, ChecksValidateCommand]) {
      const out = await runCommand(Cmd, [], { ...env, VIGIE_PLAYBOOKS_DIR: badTrigger });
      expect(out.exitCode).toBe(3);
      expect(out.stderr).toMatch(
        /PB-008-certificat-expire-ou-compromis\.md › triggers\[\d+\] \(ligne \d+\) : contrôle inconnu « tls\.cert\.perime »/,
      );
    }

    const missing = libraryCopy((copy) =>
      fs.rmSync(path.join(copy, 'PB-008-certificat-expire-ou-compromis.md')),
    );
    for (const Cmd of [PlaybookValidateCommand, ChecksValidateCommand]) {
      const out = await runCommand(Cmd, [], { ...env, VIGIE_PLAYBOOKS_DIR: missing });
      expect(out.exitCode).toBe(3);
      expect(out.stderr).toMatch(
        /catalogue\.yaml › checks\[\d+\]\.playbook \(ligne \d+\) : « tls\.cert\.expired » renvoie à la fiche « PB-008 », absente/,
      );
    }
    const english = await runCommand(PlaybookValidateCommand, ['--lang', 'en'], {
      ...env,
      VIGIE_PLAYBOOKS_DIR: missing,
    });
    expect(english.stderr).toMatch(
      /checks\[\d+\]\.playbook \(line \d+\): "tls\.cert\.expired" refers to playbook "PB-008", not in /,
    );

    const catalogue = path.join(dir, 'catalogue.yaml');
    fs.writeFileSync(
      catalogue,
      fs.readFileSync(CATALOGUE, 'utf8').replace('playbook: PB-008', 'playbook: PB-099'),
    );
    const out = await runCommand(ChecksValidateCommand, [catalogue], env);
    expect(out.exitCode).toBe(3);
    expect(out.stderr).toMatch(/checks\[\d+\]\.playbook \(ligne \d+\) : .* renvoie à la fiche « PB-099 »/);
  });
});

describe('vigie playbook list, show, review, exercise', () => {
  it('lists the register, shows a playbook, records a review and an exercise', async () => {
    const list = await runCommand(PlaybookListCommand, ['--json'], env);
    expect(list.exitCode).toBe(0);
    const entries = list.json<{ playbooks: PlaybookRegisterEntry[] }>().playbooks;
    expect(entries).toHaveLength(12);
    // A fresh install: the shipped templates' dates are not the organisation's reviews.
    expect(entries.every((e) => e.status === 'never-reviewed' && e.lastReviewed === undefined)).toBe(true);
    // Listing reads; it never creates the database.
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);

    const text = await runCommand(PlaybookListCommand, [], env);
    expect(text.stdout).toMatch(/^Fiches réflexes : 12/);
    expect(text.stdout).toContain('12 fiche(s) jamais revue(s) par l’organisation');
    expect(text.stdout).toContain('PB-008  Certificat expiré ou compromis');

    const show = await runCommand(PlaybookShowCommand, ['pb-008', '--json'], env);
    const detail = show.json<PlaybookDetail>();
    expect(detail.playbook.id).toBe('PB-008');
    expect(detail.playbook.phases.map((p) => p.code)).toEqual(['PRE', 'IDE', 'CON', 'REM', 'REC', 'RETEX']);
    const shown = await runCommand(PlaybookShowCommand, ['PB-008'], env);
    expect(shown.stdout).toContain('## Confinement');
    expect(shown.stdout).toMatch(/\[ \] CON-1 +\S/);
    expect(shown.stdout).toContain('Contacts :');
    const en = await runCommand(PlaybookShowCommand, ['PB-008', '--lang', 'en'], env);
    expect(en.stdout).toContain('PB-008 — Expired or compromised certificate');
    expect(en.stdout).toContain('## Containment');

    const unknown = await runCommand(PlaybookShowCommand, ['PB-099'], env);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('aucune fiche réflexe « PB-099 »');

    const review = await runCommand(
      PlaybookReviewCommand,
      ['PB-008', '--by', 'RSSI', '--notes', 'relue', '--json'],
      env,
    );
    expect(review.exitCode).toBe(0);
    expect(review.json<{ review: { playbookId: string; by: string; notes: string } }>().review).toMatchObject(
      {
        playbookId: 'PB-008',
        by: 'RSSI',
        notes: 'relue',
      },
    );
    const past = await runCommand(
      PlaybookReviewCommand,
      ['PB-001', '--by', 'DSI', '--date', '2020-01-10', '--json'],
      env,
    );
    expect(past.exitCode, past.stderr).toBe(0);
    expect(past.json<{ register: PlaybookRegisterEntry }>().register).toMatchObject({
      lastReviewed: '2020-01-10',
      reviewStatus: 'overdue',
    });
    const future = await runCommand(
      PlaybookReviewCommand,
      ['PB-001', '--by', 'DSI', '--date', '2999-01-01'],
      env,
    );
    expect(future.exitCode).toBe(2);
    const noBy = await runCommand(PlaybookReviewCommand, ['PB-008'], env);
    expect(noBy.exitCode).toBe(2);

    const exercise = await runCommand(
      PlaybookExerciseCommand,
      [
        'PB-001',
        '--date',
        '2020-01-15',
        '--kind',
        'tabletop',
        '--participants',
        '8',
        '--findings',
        'Annuaire périmé',
        '--by',
        'RSSI',
      ],
      env,
    );
    expect(exercise.exitCode).toBe(0);
    expect(exercise.stdout).toContain(
      'Exercice de PB-001 enregistré : 2020-01-15, sur table, 8 participant(s).',
    );
    const badKind = await runCommand(
      PlaybookExerciseCommand,
      ['PB-001', '--date', '2020-01-15', '--kind', 'jeu', '--participants', '8', '--findings', 'x'],
      env,
    );
    expect(badKind.exitCode).toBe(2);

    const after = await runCommand(PlaybookShowCommand, ['PB-001', '--json'], env);
    const register = after.json<PlaybookDetail>();
    expect(register.exercises.map((e) => [e.date, e.kind, e.participants, e.findings])).toEqual([
      ['2020-01-15', 'tabletop', 8, 'Annuaire périmé'],
    ]);
    expect(register.register.lastExercised).toBe('2020-01-15');
  });
});
