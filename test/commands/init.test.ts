import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import InitCommand from '../../src/commands/init.js';
import InventoryListCommand from '../../src/commands/inventory/list.js';
import InventoryValidateCommand from '../../src/commands/inventory/validate.js';
import PlaybookValidateCommand from '../../src/commands/playbook/validate.js';
import { loadConfig, parseConfig } from '../../src/config/index.js';
import { runCommand } from '../helpers/run-command.js';

const PACKAGE_PLAYBOOKS = fileURLToPath(new URL('../../playbooks/', import.meta.url));

let dir: string;
let file: string;
let env: Record<string, string | undefined>;
let umask: number;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-init-'));
  file = path.join(dir, 'conf', 'vigie.yml');
  env = { VIGIE_DATA_DIR: path.join(dir, 'data'), VIGIE_LANG: undefined, VIGIE_PLAYBOOKS_DIR: undefined };
  // The usual umask of a shell: what vigie writes must still be private.
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  fs.rmSync(dir, { recursive: true, force: true });
});

const mode = (p: string): string => (fs.statSync(p).mode & 0o777).toString(8);
const init = (args: string[]) => runCommand(InitCommand, [...args, '-i', file], env);

describe('vigie init', () => {
  it('writes a commented vigie.yml that validates, copies the playbooks and creates the data directory', async () => {
    const out = await init([
      '--org',
      'Commune de Vigie',
      '--domain',
      'vigie.test',
      '--domain',
      'Mairie.Vigie.test.',
    ]);
    expect(out.stderr).toBe('');
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain(
      `Inventaire écrit : ${file} (organisation « Commune de Vigie », 2 domaine(s))`,
    );
    expect(out.stdout).toContain('vigie inventory validate');

    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/^# vigie\.yml — inventaire et réglages de vigie/);
    expect(text).toContain('# La collectivité : son nom figure dans les rapports');
    expect(text).toContain('VIGIE_SMTP_PASSWORD');
    expect(text).toMatch(/^# mail:$/m); // optional sections are there, commented out
    expect(mode(file)).toBe('600');

    const valid = await runCommand(InventoryValidateCommand, ['-i', file, '--json'], env);
    expect(valid.exitCode).toBe(0);
    expect(valid.json()).toMatchObject({ valid: true, assets: 1, endpoints: 0, domains: 2 });
    const list = await runCommand(InventoryListCommand, ['-i', file, '--json'], env);
    expect(list.json<{ domains: { domain: string }[] }>().domains.map((d) => d.domain)).toEqual([
      'vigie.test',
      'mairie.vigie.test',
    ]);
    const config = loadConfig(file);
    expect(config.organisation).toEqual({
      name: 'Commune de Vigie',
      language: 'fr',
      timezone: 'Europe/Paris',
    });

    // The library, copied beside the file, is the one the playbook commands now use.
    const copy = path.join(dir, 'conf', 'playbooks');
    const shipped = fs.readdirSync(PACKAGE_PLAYBOOKS).filter((f) => f.endsWith('.md'));
    expect(fs.readdirSync(copy).sort()).toEqual(shipped.sort());
    expect(mode(copy)).toBe('700');
    for (const f of shipped) expect(mode(path.join(copy, f))).toBe('600');
    expect(config.playbooks?.dir).toBe(copy);
    const playbooks = await runCommand(PlaybookValidateCommand, ['-i', file, '--json'], env);
    expect(playbooks.exitCode).toBe(0);
    expect(playbooks.json<{ dir: string; count: number }>()).toMatchObject({ dir: copy, count: 12 });

    expect(mode(path.join(dir, 'data'))).toBe('700');
    expect(out.result).toMatchObject({ dataDir: path.join(dir, 'data'), dataDirCreated: true });
  });

  it('spells out the defaults vigie would take anyway, and writes valid YAML for any organisation name', async () => {
    const name = 'Ville: « Saint-Denis » # 2026, "test" yes';
    const out = await init(['--org', name, '--json']);
    expect(out.exitCode).toBe(0);
    const written = loadConfig(file);
    const defaults = parseConfig('organisation: { name: X }\n', file);
    expect(written.organisation.name).toBe(name);
    expect(written.assets).toEqual([]);
    expect(written.scan).toEqual(defaults.scan);
    expect(written.schedule).toEqual(defaults.schedule);
    expect(out.json()).toMatchObject({
      organisation: name,
      domains: [],
      playbooks: { copied: 13, kept: false },
    });
  });

  it('writes its comments in English with --lang en, and the organisation language with them', async () => {
    const out = await init(['--lang', 'en', '--domain', 'example.org']);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain('Inventory written:');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('# The organisation: its name appears in the reports');
    expect(text).not.toContain('La collectivité');
    const config = loadConfig(file);
    expect(config.organisation.language).toBe('en');
    expect(config.organisation.name).toBe('My organisation');
    expect(config.assets.map((a) => [a.id, a.hosts.length, a.domains?.map((d) => d.name)])).toEqual([
      ['mail', 0, ['example.org']],
    ]);
  });

  it('refuses to overwrite an existing vigie.yml: exit 2, a clear message, nothing written', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'organisation: { name: Déjà là }\n');
    const out = await init(['--org', 'Autre']);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain(`${file} existe déjà : vigie init n’écrase jamais un inventaire.`);
    expect(out.stderr).toContain('vigie inventory validate');
    expect(fs.readFileSync(file, 'utf8')).toBe('organisation: { name: Déjà là }\n');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['vigie.yml']);
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);

    const json = await init(['--json']);
    expect(json.exitCode).toBe(2);
    expect(json.json()).toMatchObject({ error: { name: 'UsageError', exitCode: 2 } });
  });

  it('refuses a domain that is not a DNS name, writing nothing', async () => {
    const out = await init(['--domain', 'https://vigie.test/']);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('--domain : nom de domaine invalide « https://vigie.test/ »');
    expect(fs.existsSync(path.dirname(file))).toBe(false);
  });

  it('leaves an existing playbook directory as it is', async () => {
    const own = path.join(dir, 'conf', 'playbooks');
    fs.mkdirSync(own, { recursive: true });
    fs.copyFileSync(
      path.join(PACKAGE_PLAYBOOKS, 'PB-001-rancongiciel.md'),
      path.join(own, 'PB-001-rancongiciel.md'),
    );
    const out = await init(['--org', 'Commune de Vigie']);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain(`Fiches réflexes : ${own} existe déjà, laissé tel quel.`);
    expect(fs.readdirSync(own)).toEqual(['PB-001-rancongiciel.md']);
  });
});
