import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../../src/app/shared/index.js';

let root = '';
let cwd = '';
let home = '';
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-datadir-'));
  cwd = path.join(root, 'work');
  home = path.join(root, 'home');
  fs.mkdirSync(cwd);
  fs.mkdirSync(home);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// The data directory no longer depends on the directory vigie is started from.
describe('the data directory', () => {
  it('defaults to ~/.local/state/vigie, wherever vigie is started', () => {
    expect(resolveDataDir({}, cwd, home)).toEqual({
      dir: path.join(home, '.local', 'state', 'vigie'),
      source: 'home',
    });
    expect(resolveDataDir({}, '/', home).dir).toBe(path.join(home, '.local', 'state', 'vigie'));
  });

  it('follows XDG_STATE_HOME when it is absolute (a relative one is ignored, as XDG says)', () => {
    expect(resolveDataDir({ XDG_STATE_HOME: '/srv/state' }, cwd, home)).toEqual({
      dir: '/srv/state/vigie',
      source: 'XDG_STATE_HOME',
    });
    expect(resolveDataDir({ XDG_STATE_HOME: 'state' }, cwd, home).source).toBe('home');
  });

  it('keeps using an existing ./.vigie (the former default), before XDG', () => {
    const legacy = path.join(cwd, '.vigie');
    fs.mkdirSync(legacy);
    try {
      expect(resolveDataDir({ XDG_STATE_HOME: '/srv/state' }, cwd, home)).toEqual({
        dir: legacy,
        source: 'legacy',
      });
    } finally {
      fs.rmSync(legacy, { recursive: true });
    }
    fs.writeFileSync(legacy, 'not a directory');
    try {
      expect(resolveDataDir({}, cwd, home).source).toBe('home');
    } finally {
      fs.rmSync(legacy);
    }
  });

  it('uses systemd’s STATE_DIRECTORY (first entry), and VIGIE_DATA_DIR above all', () => {
    fs.mkdirSync(path.join(cwd, '.vigie'), { recursive: true });
    expect(resolveDataDir({ STATE_DIRECTORY: '/var/lib/vigie:/var/lib/other' }, cwd, home)).toEqual({
      dir: '/var/lib/vigie',
      source: 'STATE_DIRECTORY',
    });
    expect(
      resolveDataDir({ VIGIE_DATA_DIR: 'donnees', STATE_DIRECTORY: '/var/lib/vigie' }, cwd, home),
    ).toEqual({ dir: path.join(cwd, 'donnees'), source: 'VIGIE_DATA_DIR' });
  });
});

describe('where `vigie --help` says the data is', () => {
  it('the root help (the package description, shown by oclif) names the order', () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      description: string;
    };
    for (const part of [
      'VIGIE_DATA_DIR',
      'STATE_DIRECTORY',
      './.vigie',
      '$XDG_STATE_HOME/vigie',
      '~/.local/state/vigie',
    ])
      expect(pkg.description).toContain(part);
  });
});

/** `vigie args` from the sources, started from `cwd`, with HOME and no VIGIE_DATA_DIR. */
const vigieFrom = (cwd: string, args: string[], home: string) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, VIGIE_LANG: 'fr' };
    for (const k of ['VIGIE_DATA_DIR', 'STATE_DIRECTORY', 'XDG_STATE_HOME']) delete env[k];
    execFile(
      process.execPath,
      [fileURLToPath(new URL('../../../bin/dev.js', import.meta.url)), ...args],
      { encoding: 'utf8', timeout: 90_000, env, cwd },
      (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });

describe('vigie started from anywhere', () => {
  it('uses ~/.local/state/vigie, and says so when it keeps an old ./.vigie', async () => {
    const here = path.join(root, 'anywhere');
    const user = path.join(root, 'user');
    fs.mkdirSync(here, { recursive: true });
    fs.mkdirSync(user, { recursive: true });
    const fresh = await vigieFrom(here, ['daemon', 'status', '--json'], user);
    expect(fresh.status, fresh.stderr).toBe(0);
    expect(fresh.stderr).not.toContain('ancien ./.vigie');
    fs.mkdirSync(path.join(here, '.vigie'));
    const legacy = await vigieFrom(here, ['daemon', 'status'], user);
    expect(legacy.status, legacy.stderr).toBe(0);
    expect(legacy.stderr).toContain(`répertoire de données ${path.join(here, '.vigie')} (l’ancien ./.vigie`);
  }, 120_000);
});
