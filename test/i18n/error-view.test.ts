import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidFileError, UsageError, VigieError } from '../../src/domain/index.js';
import { localize, msg } from '../../src/i18n/index.js';
import { errorView } from '../../src/report/error-text.js';
import { openStore } from '../../src/store/index.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-errview-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const caught = (fn: () => unknown): VigieError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof VigieError) return error;
    throw error;
  }
  throw new Error('expected a VigieError');
};

describe('errors carry a catalogue key', () => {
  it('keeps a French Error.message and renders the key in the chosen language', () => {
    const err = new UsageError(msg('errlang.finding.unknown', { fingerprint: 'f1' }), {
      hint: msg('errlang.finding.unknown.hint'),
    });
    expect(err.message).toBe('aucun constat d’empreinte « f1 »');
    expect(errorView('en', err)).toEqual({
      name: 'UsageError',
      message: 'no finding with fingerprint "f1"',
      exitCode: 2,
      key: 'errlang.finding.unknown',
      hint: 'see `vigie findings list --status new,open,resolved`',
    });
    expect(errorView('fr', err).message).toBe(err.message);
  });

  it('shows a plain-text error as it is (no key yet)', () => {
    const err = new UsageError('texte libre', { hint: 'aide' });
    expect(errorView('en', err)).toEqual({
      name: 'UsageError',
      message: 'texte libre',
      exitCode: 2,
      hint: 'aide',
    });
  });

  it('renders nested parts in the same language, and falls back on an unknown key', () => {
    const text = msg('errlang.schema.missing', {}, { expected: { key: 'errlang.schema.expected.array' } });
    expect(text.fallback).toBe('valeur manquante : liste attendue');
    expect(localize('en', text, '')).toBe('missing value: list expected');
    expect(localize('en', { key: 'no.such.key', fallback: 'repli' }, '')).toBe('repli');
  });

  it('lists the issues of an invalid file in the chosen language', () => {
    const err = new InvalidFileError('v.yml', [
      { path: 'a', line: 2, message: 'champ obligatoire', i18n: msg('errlang.schema.required') },
      { path: 'b', message: 'message sans clé' },
    ]);
    expect(err.message).toBe(
      'v.yml: 2 problème(s)\n  - a (ligne 2) : champ obligatoire\n  - b : message sans clé',
    );
    const view = errorView('en', err);
    expect(view.message).toBe('v.yml: 2 problem(s)\n  - a (line 2): required field\n  - b: message sans clé');
    expect(view.issues?.[0]).toEqual({
      path: 'a',
      line: 2,
      file: 'v.yml',
      message: 'required field',
      text: 'a (line 2): required field',
      key: 'errlang.schema.required',
    });
  });

  it('words storage failures in English too', () => {
    const notADir = path.join(dir, 'file');
    fs.writeFileSync(notADir, '');
    const err = caught(() => openStore(notADir));
    const view = errorView('en', err);
    expect(view.exitCode).toBe(4);
    expect(view.key).toMatch(/^errlang\.store\./);
    expect(`${view.message} ${view.hint}`).not.toMatch(/[éèàù’«»]|répertoire|impossible/);
    expect(err.message).toMatch(/répertoire/);
  });
});
