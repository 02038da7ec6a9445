import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin/dev.js');

/** Modules a command that neither talks to GitHub, sends mail nor scans must leave unloaded. */
const HEAVY = {
  octokit: '/node_modules/@octokit/',
  nodemailer: '/node_modules/nodemailer/',
  'TLS engine': '/src/probes/tls/',
} as const;

/**
 * A module hook (registered with --import before vigie starts) that appends every module URL the
 * process resolves to `log`, and at exit every CommonJS file in the require cache: what was loaded,
 * observed from outside vigie, not a timing.
 */
function writeLoadRecorder(dir: string, log: string): string {
  const hooks = path.join(dir, 'hooks.mjs');
  fs.writeFileSync(
    hooks,
    [
      "import fs from 'node:fs';",
      'let log;',
      'export function initialize(data) { log = data.log; }',
      'export async function resolve(specifier, context, next) {',
      '  const resolved = await next(specifier, context);',
      "  fs.appendFileSync(log, resolved.url + '\\n');",
      '  return resolved;',
      '}',
      '',
    ].join('\n'),
  );
  const register = path.join(dir, 'register.mjs');
  fs.writeFileSync(
    register,
    [
      "import fs from 'node:fs';",
      "import { createRequire, register } from 'node:module';",
      `const log = ${JSON.stringify(log)};`,
      `register(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { log } });`,
      'const require = createRequire(import.meta.url);',
      "process.on('exit', () => fs.appendFileSync(log, Object.keys(require.cache).join('\\n') + '\\n'));",
      '',
    ].join('\n'),
  );
  return register;
}

/** Runs `vigie args` from the sources in a fresh directory; returns its output and the modules it loaded. */
async function loadedBy(args: string[]): Promise<{ status: number | null; out: string; loaded: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-lazy-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  const log = path.join(dir, 'loaded.txt');
  fs.writeFileSync(log, '');
  const register = writeLoadRecorder(dir, log);
  const env = { ...process.env, VIGIE_LANG: '', VIGIE_DATA_DIR: path.join(dir, 'data') };
  const run = await new Promise<{ status: number | null; out: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', pathToFileURL(register).href, BIN, ...args],
      { encoding: 'utf8', timeout: 90_000, env, cwd: dir },
      (error, stdout, stderr) =>
        resolve({
          status: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          out: stdout + stderr,
        }),
    );
  });
  const loaded = fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (l.startsWith('file:') ? fileURLToPath(l) : l).split(path.sep).join('/'));
  return { ...run, loaded };
}

const heavyIn = (loaded: readonly string[]) =>
  Object.entries(HEAVY).flatMap(([name, part]) => {
    const hit = loaded.find((f) => f.includes(part));
    return hit === undefined ? [] : [`${name}: ${hit}`];
  });

describe('a command loads only what it uses', () => {
  it('vigie --help loads every command, but neither Octokit, nodemailer nor the TLS engine', async () => {
    const { status, out, loaded } = await loadedBy(['--help']);
    expect(status, out).toBe(0);
    expect(out).toContain('scan');
    // The recorder sees packages and our sources, and oclif did load every command class for the help
    // (no manifest from the sources): only their lazy imports keep the heavy modules out.
    expect(loaded.some((f) => f.includes('/node_modules/@oclif/core/'))).toBe(true);
    expect(loaded.some((f) => f.endsWith('/src/commands/github/sync.ts'))).toBe(true);
    expect(loaded.some((f) => f.endsWith('/src/commands/notify/test.ts'))).toBe(true);
    expect(heavyIn(loaded)).toEqual([]);
  }, 120_000);

  it('vigie checks list loads neither Octokit, nodemailer nor the TLS engine', async () => {
    const { status, out, loaded } = await loadedBy(['checks', 'list']);
    expect(status, out).toBe(0);
    expect(out).toContain('tls.');
    expect(loaded.some((f) => f.includes('/src/app/checks/'))).toBe(true);
    expect(heavyIn(loaded)).toEqual([]);
  }, 120_000);
});
