import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suggestCommand } from '../../src/cli/command-not-found-hook.js';
import FindingsShowCommand from '../../src/commands/findings/show.js';
import FindingsWaiveCommand from '../../src/commands/findings/waive.js';
import ScanCommand from '../../src/commands/scan.js';
import { runCommand } from '../helpers/run-command.js';

/** What oclif writes in English, which must not reach a French (or an English) user as is. */
const OCLIF_WORDS = /Missing|Nonexistent|Unexpected|Expected|See more help|required arg|to be one of/;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-parse-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const env = () => ({ VIGIE_DATA_DIR: dir, VIGIE_LANG: undefined });

describe('oclif parse errors, in the chosen language', { timeout: 60_000 }, () => {
  it('says what is wrong in French by default, with the command’s help as what to do, exit code 2', async () => {
    const cases: [
      typeof ScanCommand | typeof FindingsWaiveCommand | typeof FindingsShowCommand,
      string[],
      string,
    ][] = [
      [FindingsWaiveCommand, ['abc'], 'option obligatoire manquante : --reason'],
      [FindingsWaiveCommand, [], 'argument obligatoire manquant : FINGERPRINT'],
      [FindingsShowCommand, ['abc', 'def'], 'argument inattendu : def'],
      [ScanCommand, ['--formt', 'md'], 'option inconnue : --formt ; vouliez-vous dire --format ?'],
      [
        ScanCommand,
        ['--format', 'xx'],
        '--format : valeur « xx » invalide ; valeurs possibles : text, md, json',
      ],
      [ScanCommand, ['--timeout', '5'], '--timeout : nombre entier d’au moins 100 attendu, reçu « 5 »'],
      [ScanCommand, ['--timeout', 'x'], '--timeout : nombre entier attendu, reçu « x »'],
    ];
    for (const [Cmd, argv, message] of cases) {
      const out = await runCommand(Cmd, argv, env());
      expect([argv, out.exitCode]).toEqual([argv, 2]);
      expect(out.stderr).toContain(`Erreur : ${message}`);
      // In-process, oclif names the command after its class; the executable's hint is checked below.
      expect(out.stderr).toMatch(/\nQue faire : vigie \S+ --help\n$/);
      expect([argv, OCLIF_WORDS.exec(out.stderr)?.[0]]).toEqual([argv, undefined]);
    }
  });

  it('in English with --lang en or VIGIE_LANG=en, and in the JSON error with --json', async () => {
    const missing = await runCommand(FindingsWaiveCommand, ['abc', '--lang', 'en'], env());
    expect(missing.stderr).toContain('missing required flag: --reason');
    expect(missing.stderr).toContain('missing required flag: --until');
    expect(missing.stderr).not.toMatch(/manquante|Que faire/);
    const typo = await runCommand(ScanCommand, ['--fail-onn', 'high'], { ...env(), VIGIE_LANG: 'en' });
    expect(typo.stderr).toContain('unknown flag: --fail-onn; did you mean --fail-on?');
    const json = await runCommand(ScanCommand, ['--json', '--format', 'xx', '--lang', 'en'], env());
    expect(json.exitCode).toBe(2);
    expect(json.json()).toMatchObject({
      error: {
        message: '--format: invalid value “xx”; expected one of: text, md, json',
        exitCode: 2,
        hint: expect.stringMatching(/^vigie \S+ --help$/) as unknown,
      },
    });
  });
});

describe('unknown commands', () => {
  const commands = [
    'scan',
    'init',
    'demo',
    'findings list',
    'findings show',
    'checks list',
    'report chapter',
  ];

  it('suggests the closest command, or the known command that the words start with', () => {
    expect(suggestCommand('scna', commands)).toBe('scan');
    expect(suggestCommand('finding list', commands)).toBe('findings list');
    expect(suggestCommand('report chapitre', commands)).toBe('report chapter');
    expect(suggestCommand('checks list extra words', commands)).toBe('checks list');
    expect(suggestCommand('frobnicate', commands)).toBeUndefined();
  });
});

const BIN = new URL('../../bin/dev.js', import.meta.url).pathname;
const vigie = (args: string[], extraEnv: Record<string, string> = {}) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, VIGIE_DATA_DIR: dir, VIGIE_LANG: '', ...extraEnv },
        cwd: dir,
      },
      (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });

describe('the vigie executable picks the language before oclif renders anything', () => {
  it('unknown command: "did you mean", exit code 2, in French and in English', async () => {
    const fr = await vigie(['scna']);
    expect(fr.status).toBe(2);
    expect(fr.stderr).toBe(
      'Erreur : commande inconnue : « scna »\nQue faire : vouliez-vous dire « vigie scan » ? (vigie --help liste les commandes)\n',
    );
    const en = await vigie(['--lang', 'en', 'findings', 'lsit']);
    expect(en.status).toBe(2);
    expect(en.stderr).toContain('unknown command: “findings lsit”');
    expect(en.stderr).toContain('did you mean “vigie findings list”?');
    const missing = await vigie(['findings', 'waive', 'abc']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(
      'Erreur : option obligatoire manquante : --reason\noption obligatoire manquante : --until\nQue faire : vigie findings waive --help\n',
    );
  }, 120_000);

  it('--lang before the command, and VIGIE_LANG, give English help', async () => {
    const leading = await vigie(['--lang', 'en', 'scan', '--help']);
    expect(leading.status, leading.stderr).toBe(0);
    expect(leading.stdout).toContain('Scan the inventory’s endpoints');
    expect(leading.stdout).toMatch(/^GLOBAL FLAGS$/m);
    const root = await vigie(['--lang', 'en']);
    expect(root.status, root.stderr).toBe(0);
    expect(root.stdout).toMatch(/^TOPICS$/m);
    const byEnv = await vigie(['--help'], { VIGIE_LANG: 'en' });
    expect(byEnv.stdout).toMatch(/^COMMANDS$/m);
    const french = await vigie(['--help']);
    expect(french.stdout).toMatch(/^COMMANDES$/m);
  }, 240_000);
});
