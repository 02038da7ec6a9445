import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import FindingsShowCommand from '../../src/commands/findings/show.js';
import IncidentShowCommand from '../../src/commands/incident/show.js';
import InventoryValidateCommand from '../../src/commands/inventory/validate.js';
import ScanCommand from '../../src/commands/scan.js';
import { openStore } from '../../src/store/index.js';
import { errorContract } from '../contracts/scan-result.contract.js';
import { runCommand } from '../helpers/run-command.js';

/** Letters and typography French writes and English does not. */
const FRENCH = /[àâçéèêëîïôûùœ«»’]|\b(ligne|problème|champ|obligatoire|fichier|cible|constat|relancez)\b/i;

let dir: string;
let broken: string;
let valid: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-errlang-'));
  broken = path.join(dir, 'broken.yml');
  fs.writeFileSync(
    broken,
    `organisation: { name: Test }
assets:
  - id: a
    hosts: [{ nme: x }]
    criticality: extreme
    ports: [70000]
`,
  );
  valid = path.join(dir, 'vigie.yml');
  fs.writeFileSync(valid, 'organisation: { name: Test }\nassets: []\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const env = (): Record<string, string | undefined> => ({
  VIGIE_LANG: undefined,
  VIGIE_DATA_DIR: path.join(dir, 'data'),
});

describe('errors in the chosen language', () => {
  it('inventory validate --lang en: no French in the message, the issues or the hint', async () => {
    const out = await runCommand(InventoryValidateCommand, ['-i', broken, '--lang', 'en'], env());
    expect(out.exitCode).toBe(3);
    expect(out.stderr).toContain('problem(s)');
    expect(out.stderr).toContain('(line 4): required field');
    expect(out.stderr).toContain('unknown key "nme" (did you mean "name"?)');
    expect(out.stderr).toContain('expected one of low, medium, high, critical');
    expect(out.stderr).toContain('(line 6): invalid port (1–65535)');
    expect(out.stderr).toMatch(/^Error: /m);
    expect(out.stderr).toMatch(/^What to do: fix these points/m);
    expect(out.stderr).not.toMatch(FRENCH);
  });

  it('inventory validate --json --lang en: message, issues and keys for scripts', async () => {
    const out = await runCommand(InventoryValidateCommand, ['-i', broken, '--json', '--lang', 'en'], env());
    const { error } = errorContract.parse(out.json());
    expect(error.key).toBe('errlang.invalid-file');
    expect(error.issues?.find((i) => i.path === 'assets[0].name')).toMatchObject({
      message: 'required field',
      key: 'errlang.schema.required',
      text: 'assets[0].name (line 3): required field',
    });
    expect(JSON.stringify(error)).not.toMatch(FRENCH);
  });

  it('stays French by default, and with VIGIE_LANG=fr', async () => {
    for (const extra of [[], ['--lang', 'fr']]) {
      const out = await runCommand(InventoryValidateCommand, ['-i', broken, ...extra], env());
      expect(out.exitCode).toBe(3);
      expect(out.stderr).toContain('problème(s)');
      expect(out.stderr).toContain('(ligne 4) : champ obligatoire');
      expect(out.stderr).toMatch(/^Erreur : /m);
      expect(out.stderr).toMatch(/^Que faire : corrigez ces points/m);
    }
  });

  it('VIGIE_LANG=en works as --lang en', async () => {
    const out = await runCommand(InventoryValidateCommand, ['-i', broken], { ...env(), VIGIE_LANG: 'en' });
    expect(out.stderr).toContain('required field');
    expect(out.stderr).not.toMatch(FRENCH);
  });

  it('scan with a broken inventory, or a bad target, speaks English with --lang en', async () => {
    const badConfig = await runCommand(ScanCommand, ['-i', broken, '--lang', 'en', '--no-save'], env());
    expect(badConfig.exitCode).toBe(3);
    expect(badConfig.stderr).toContain('required field');
    expect(badConfig.stderr).not.toMatch(FRENCH);

    const badTarget = await runCommand(
      ScanCommand,
      ['-i', valid, 'bad_host!:1', '--lang', 'en', '--no-save'],
      env(),
    );
    expect(badTarget.exitCode).toBe(2);
    expect(badTarget.stderr).toContain('target "bad_host!:1"');
    expect(badTarget.stderr).toContain('What to do: write host, host:port');
    expect(badTarget.stderr).not.toMatch(FRENCH);

    const fr = await runCommand(ScanCommand, ['-i', valid, 'bad_host!:1', '--no-save'], env());
    expect(fr.stderr).toContain('cible « bad_host!:1 »');
  });

  it('findings show with an unknown fingerprint: English with --lang en, French otherwise', async () => {
    const none = await runCommand(FindingsShowCommand, ['-i', valid, 'abc', '--lang', 'en'], env());
    expect(none.exitCode).toBe(4);
    expect(none.stderr).toContain('no scan saved in');
    expect(none.stderr).not.toMatch(FRENCH);

    await openStore(path.join(dir, 'data')).close();
    const en = await runCommand(FindingsShowCommand, ['-i', valid, 'abc', '--lang', 'en', '--json'], env());
    const { error } = errorContract.parse(en.json());
    expect(error).toMatchObject({ exitCode: 2, key: 'errlang.finding.unknown' });
    expect(error.message).toBe('no finding with fingerprint "abc"');
    expect(error.hint).toBe('see `vigie findings list --status new,open,resolved`');

    const fr = await runCommand(FindingsShowCommand, ['-i', valid, 'abc'], env());
    expect(fr.stderr).toContain('aucun constat d’empreinte « abc »');
  });

  it('incident show with an unknown id: English with --lang en', async () => {
    const en = await runCommand(IncidentShowCommand, ['INC-404', '--lang', 'en'], env());
    expect(en.exitCode).toBeGreaterThan(1);
    expect(en.stderr).toContain('no incident "INC-404"');
    expect(en.stderr).not.toMatch(FRENCH);
    const fr = await runCommand(IncidentShowCommand, ['INC-404'], env());
    expect(fr.stderr).toContain('aucun incident « INC-404 »');
  });
});
