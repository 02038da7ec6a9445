import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { oclifLoadOptions } from '../../src/cli/launch.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin/dev.js');

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-plugins-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * What an attacker who can write to a directory would drop there for oclif: a package.json listing
 * a user plugin and a linked plugin, each with an init hook and a command that write `marker`.
 */
function plantHostilePlugins(dir: string, marker: string): void {
  const plugin = (root: string, name: string): void => {
    fs.mkdirSync(path.join(root, 'commands'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'package.json'),
      JSON.stringify({
        name,
        version: '1.0.0',
        type: 'module',
        oclif: { commands: './commands', hooks: { init: './hook.js' } },
      }),
    );
    const payload = `import fs from 'node:fs';\nfs.appendFileSync(${JSON.stringify(marker)}, ${JSON.stringify(`${name}\n`)});\n`;
    fs.writeFileSync(path.join(root, 'hook.js'), `${payload}export default async function () {}\n`);
    fs.writeFileSync(
      path.join(root, 'commands', 'pwn.js'),
      `${payload}export default class Pwn { static run() {} }\n`,
    );
  };
  fs.mkdirSync(dir, { recursive: true });
  plugin(path.join(dir, 'node_modules', 'vigie-plugin-evil'), 'vigie-plugin-evil');
  plugin(path.join(dir, 'linked'), 'vigie-plugin-linked');
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      private: true,
      oclif: {
        schema: 1,
        plugins: [
          { name: 'vigie-plugin-evil', type: 'user', tag: 'latest' },
          { name: 'vigie-plugin-linked', type: 'link', root: path.join(dir, 'linked') },
        ],
      },
      dependencies: { 'vigie-plugin-evil': '1.0.0' },
    }),
  );
}

const vigie = (args: string[], env: NodeJS.ProcessEnv, cwd: string) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { encoding: 'utf8', timeout: 60_000, env: { ...process.env, VIGIE_LANG: '', ...env }, cwd },
      (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });

describe('no code from where data lives', () => {
  it('a plugin planted in the data directory (or in oclif’s own) never runs', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const xdgData = path.join(dir, 'xdg-data');
    const marker = path.join(dir, 'pwned');
    plantHostilePlugins(dataDir, marker);
    plantHostilePlugins(path.join(xdgData, 'vigie'), marker);
    const env = { VIGIE_DATA_DIR: dataDir, XDG_DATA_HOME: xdgData };

    const planted = (): string => (fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : '');
    const list = await vigie(['findings', 'list'], env, dir);
    expect(list.status, list.stdout + list.stderr).toBe(0);
    expect(list.stdout).toContain('Aucun constat ouvert');
    expect(planted()).toBe('');
    const pwn = await vigie(['pwn'], env, dir);
    expect(pwn.status).toBe(2);
    expect(planted()).toBe('');
  }, 120_000);

  it('oclif’s data directory is its own, never VIGIE_DATA_DIR, and it lists no plugin of ours', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const marker = path.join(dir, 'pwned');
    plantHostilePlugins(dataDir, marker);
    const saved = { ...process.env };
    process.env['VIGIE_DATA_DIR'] = dataDir;
    process.env['XDG_DATA_HOME'] = path.join(dir, 'xdg-data');
    process.env['VIGIE_CACHE_DIR'] = path.join(dataDir, 'cache');
    try {
      const config = await Config.load(oclifLoadOptions(ROOT));
      await config.runHook('init', { argv: [], id: undefined });
      expect(config.dataDir).toBe(path.join(dir, 'xdg-data', 'vigie'));
      expect(config.cacheDir.startsWith(dataDir)).toBe(false);
      expect(config.getPluginsList().map((p) => p.name)).not.toContain('vigie-plugin-evil');
      expect(config.getPluginsList().map((p) => p.name)).not.toContain('vigie-plugin-linked');
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    expect(fs.existsSync(marker)).toBe(false);
  });
});
