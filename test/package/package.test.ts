import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/domain/index.js';
import { createTestPki } from '../helpers/test-pki.js';
import { startTlsServer, type LoopbackServer } from '../helpers/tls-server.js';

/*
 * The package a user installs. `npm pack` runs on a fresh copy of the repository (the files git
 * knows, node_modules linked), so its prepack (build into dist/, `oclif manifest`) and postpack run
 * for real without touching this worktree. The tarball is then unpacked, its node_modules linked,
 * and its bin/run.js (the entry npm installs as `vigie`: compiled JavaScript from dist/ and the
 * manifest, never the TypeScript sources) is run as a user runs it.
 *
 * When VIGIE_INSTALLED_BIN names an executable, .ci/run has packed this repository and installed the
 * tarball with `npm install -g --prefix`: that `vigie`, with the dependencies npm resolved and
 * better-sqlite3 compiled for it, is run instead, and the tarball checks (already done by the same
 * file inside `npm test`) are skipped.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INSTALLED = process.env['VIGIE_INSTALLED_BIN'];
const PACK_TIMEOUT_MS = 300_000;
const RUN_TIMEOUT_MS = 60_000;
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

let work: string;
/** The unpacked package (`package/` of the tarball), or undefined for an installed vigie. */
let unpacked: string | undefined;
/** Paths in the tarball, without the `package/` prefix. */
let files: string[] = [];
/** The fresh copy of the repository that was packed. */
let copy: string;
let server: LoopbackServer;

function exec(
  file: string,
  args: string[],
  opts: { cwd: string; timeout: number; env?: NodeJS.ProcessEnv },
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        encoding: 'utf8',
        timeout: opts.timeout,
        maxBuffer: 32 * 1024 * 1024,
        cwd: opts.cwd,
        env: opts.env ?? process.env,
      },
      (error, stdout, stderr) =>
        resolve({
          status: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          stdout,
          stderr: error && typeof error.code !== 'number' ? `${stderr}\n${error.message}` : stderr,
        }),
    );
  });
}

async function mustRun(file: string, args: string[], cwd: string): Promise<string> {
  const r = await exec(file, args, { cwd, timeout: PACK_TIMEOUT_MS });
  if (r.status !== 0)
    throw new Error(`${file} ${args.join(' ')} : code ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Packs a fresh copy of the repository; returns the tarball's path. */
async function packFreshCopy(): Promise<string> {
  copy = path.join(work, 'clone');
  const listed = await mustRun('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT);
  for (const file of listed.split('\0').filter(Boolean)) {
    if (!fs.existsSync(path.join(ROOT, file))) continue; // deleted in the worktree, not yet committed
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(copy, file));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  const destination = path.join(work, 'tarball');
  fs.mkdirSync(destination);
  await mustRun('npm', ['pack', '--pack-destination', destination, '--loglevel', 'warn'], copy);
  const [tarball] = fs.readdirSync(destination).filter((f) => f.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack n’a produit aucune archive');
  return path.join(destination, tarball);
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-package-'));
  if (INSTALLED === undefined) {
    const tarball = await packFreshCopy();
    files = (await mustRun('tar', ['-tzf', tarball], work))
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''))
      .sort();
    await mustRun('tar', ['-xzf', tarball, '-C', work], work);
    unpacked = path.join(work, 'package');
    // The dependencies, as an install would provide them (.ci/run installs them for real).
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(unpacked, 'node_modules'), 'dir');
  }
  const pki = await createTestPki();
  // Signed by a test root that vigie does not trust: a finding the installed checks must report.
  server = await startTlsServer({ cert: await pki.leaf(), chain: [pki.intermediate] });
}, PACK_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** `vigie ARGS` from a working directory that holds nothing of vigie's. */
function vigie(args: string[]): Promise<Run> {
  const [file, pre] = unpacked
    ? [process.execPath, [path.join(unpacked, 'bin', 'run.js')]]
    : [INSTALLED as string, []];
  const cwd = path.join(work, 'cwd');
  fs.mkdirSync(cwd, { recursive: true });
  return exec(file, [...pre, ...args], {
    cwd,
    timeout: RUN_TIMEOUT_MS,
    env: {
      ...process.env,
      VIGIE_DATA_DIR: path.join(work, 'data'),
      VIGIE_LANG: '',
      // What a user's shell has: neither the test runner's mode nor oclif's development mode.
      NODE_ENV: 'production',
    },
  });
}

/** `src/commands/inventory/list.ts` → `inventory:list`, `src/commands/report/index.ts` → `report`. */
function commandIds(dir = path.join(ROOT, 'src', 'commands'), prefix: string[] = []): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return commandIds(path.join(dir, entry.name), [...prefix, entry.name]);
    const name = entry.name.replace(/\.ts$/, '');
    return [(name === 'index' ? prefix : [...prefix, name]).join(':')];
  });
}

describe.skipIf(INSTALLED !== undefined)('the tarball of npm pack', () => {
  it('ships the compiled commands, the data, the docs, the schemas, the example, the systemd unit and the licence', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'oclif.manifest.json',
        'bin/run.js',
        'dist/commands/scan.js',
        'dist/demo/index.js',
        'checks/catalogue.yaml',
        'checks/services.yaml',
        'checks/custom/git-exposed.yaml',
        'docs/production.md',
        'examples/vigie.yml',
        'contrib/systemd/vigie.service',
      ]),
    );
    // Every playbook and schema of the repository, not a sample.
    for (const dir of ['playbooks', 'schemas']) {
      expect(files).toEqual(
        expect.arrayContaining(fs.readdirSync(path.join(ROOT, dir)).map((f) => `${dir}/${f}`)),
      );
    }
    expect(fs.readFileSync(path.join(unpacked as string, 'LICENSE'), 'utf8')).toMatch(
      /^MIT License\n\nCopyright \(c\) \d{4} vigie contributors\n/,
    );
  });

  it('leaves out the development entry, the sources, the tests, the tooling and the source maps', () => {
    expect(files).not.toContain('bin/dev.js');
    expect(files.filter((f) => /^(test|src|bench|scripts|\.ci|node_modules)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.ts'))).toEqual([]);
  });

  it('carries a manifest of every command, and postpack leaves no manifest in the repository', () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(unpacked as string, 'oclif.manifest.json'), 'utf8'),
    ) as {
      version: string;
      commands: Record<string, { relativePath: string[] }>;
    };
    expect(manifest.version).toBe(VERSION);
    expect(Object.keys(manifest.commands).sort()).toEqual(commandIds().sort());
    // Compiled paths, even when packed from a shell whose NODE_ENV is "test" (as here) or "development".
    for (const [id, command] of Object.entries(manifest.commands)) {
      expect([id, command.relativePath.slice(0, 2)]).toEqual([id, ['dist', 'commands']]);
    }
    expect(fs.existsSync(path.join(copy, 'oclif.manifest.json'))).toBe(false);
  });
});

describe('the installed entry (bin/run.js from dist/)', { timeout: 180_000 }, () => {
  it('prints its name and version', async () => {
    const r = await vigie(['--version']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^vigie/${VERSION.replaceAll('.', '\\.')} `));
  });

  it('lists its commands and explains scan', async () => {
    const top = await vigie(['--help']);
    expect(top.status, top.stderr).toBe(0);
    for (const name of ['init', 'scan', 'inventory', 'findings', 'report', 'daemon']) {
      expect(top.stdout).toMatch(new RegExp(`^ {2}${name} `, 'm'));
    }
    const scan = await vigie(['scan', '--help']);
    expect(scan.status, scan.stderr).toBe(0);
    expect(scan.stdout).toContain('--fail-on');
    expect(scan.stdout).toContain('https://HÔTE[:PORT]/');
    // The help class and the unknown-command hook, loaded from dist/ with the manifest.
    const english = await vigie(['--lang', 'en', 'scan', '--help']);
    expect(english.status, english.stderr).toBe(0);
    expect(english.stdout).toContain('Scan the inventory’s endpoints');
    const typo = await vigie(['scna']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('vouliez-vous dire « vigie scan »');
  });

  it('scans a loopback TLS server with the packaged checks, saves the run, and lists its findings', async () => {
    const scan = await vigie(['scan', server.target, '--only', 'tls', '--json']);
    expect(scan.status, scan.stderr).toBe(0);
    const result = JSON.parse(scan.stdout) as ScanResult;
    expect(result.endpoints.map((e) => [e.host, e.port, e.status])).toEqual([
      [server.host, server.port, 'assessed'],
    ]);
    // The catalogue's text, read from the package's checks/ (the working directory has none).
    const untrusted = result.findings.find((f) => f.checkId === 'tls.cert.untrusted');
    expect(untrusted?.title).toMatch(/\S/);
    expect(untrusted?.remediation).toMatch(/\S/);
    expect(result.run.saved).toBe(true);

    // The run went through better-sqlite3 into the data directory, and comes back out.
    const listed = await vigie(['findings', 'list', '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    const { findings } = JSON.parse(listed.stdout) as { findings: { checkId: string; host: string }[] };
    expect(findings.filter((f) => f.host === server.host).map((f) => f.checkId)).toContain(
      'tls.cert.untrusted',
    );
  });
});
