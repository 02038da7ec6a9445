// npm run bench:startup [-- N]: how long the installed `vigie` takes to start, with and without the
// oclif manifest that `npm pack` ships. The package is laid out in a temporary directory as the
// tarball has it (dist/ compiled by tsc, bin/run.js, the data, node_modules linked), then each command
// is spawned N times (default 20, after 2 warm-up runs); prints median, p90 and min wall time, and the
// median CPU time (user + system, from /usr/bin/time when present), steadier on a loaded machine.
// VIGIE_BENCH_BIN=/prefix/bin/vigie measures an installed vigie instead (with its own manifest only).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const N = Number(process.argv[2] ?? 20);
const WARM_UP = 2;
const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const production = { ...process.env, NODE_ENV: 'production', OCLIF_SKIP_NEW_VERSION_CHECK: 'true' };
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const COMMANDS: string[][] = [['--help'], ['--version'], ['scan', '--help']];

function layOut(dir: string): string {
  for (const entry of ['package.json', 'bin/run.js', 'checks', 'playbooks']) {
    fs.cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const run = (script: string, args: string[]) =>
    execFileSync(process.execPath, [script, ...args], { cwd: root, env: production, stdio: 'inherit' });
  run(require.resolve('typescript/bin/tsc'), ['-p', 'tsconfig.json', '--outDir', path.join(dir, 'dist')]);
  run(require.resolve('oclif/bin/run.js'), ['manifest', dir]);
  return path.join(dir, 'bin', 'run.js');
}

/** Wall time and CPU time (NaN without /usr/bin/time) of one run, in milliseconds. */
function time(file: string, args: string[], cwd: string): { wall: number; cpu: number } {
  const cpuFile = path.join(cwd, 'cpu.txt');
  const [cmd, argv] = GNU_TIME ? [GNU_TIME, ['-o', cpuFile, '-f', '%U %S', file, ...args]] : [file, args];
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd, env: production, stdio: ['ignore', 'pipe', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} : code ${r.status}\n${String(r.stderr)}`);
  const [user, sys] = GNU_TIME ? fs.readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number) : [];
  return { wall, cpu: ((user ?? NaN) + (sys ?? NaN)) * 1000 };
}

function measure(label: string, file: string, pre: string[], args: string[], cwd: string): void {
  for (let i = 0; i < WARM_UP; i++) time(file, [...pre, ...args], cwd);
  const runs = Array.from({ length: N }, () => time(file, [...pre, ...args], cwd));
  const wall = runs.map((r) => r.wall).sort((a, b) => a - b);
  const cpu = runs.map((r) => r.cpu).sort((a, b) => a - b);
  const at = (list: number[], q: number) =>
    list[Math.min(list.length - 1, Math.floor(q * list.length))] ?? NaN;
  const ms = (v: number) => `${v.toFixed(0).padStart(5)} ms`;
  console.log(
    `${label.padEnd(15)} ${`${args.join(' ') || '-e ""'}`.padEnd(12)} médiane ${ms(at(wall, 0.5))}` +
      `   p90 ${ms(at(wall, 0.9))}   min ${ms(wall[0] ?? NaN)}   CPU (médiane) ${ms(at(cpu, 0.5))}`,
  );
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-startup-'));
try {
  const cwd = path.join(work, 'cwd');
  fs.mkdirSync(cwd);
  console.log(
    `Node ${process.version}, ${os.cpus().length} cœur(s), charge ${os.loadavg()[0]?.toFixed(1)}, N = ${N}`,
  );
  measure('node seul', process.execPath, ['-e', ''], [], cwd);
  const installed = process.env['VIGIE_BENCH_BIN'];
  if (installed) {
    for (const args of COMMANDS) measure('installé', installed, [], args, cwd);
  } else {
    const entry = layOut(path.join(work, 'package'));
    for (const args of COMMANDS) measure('avec manifeste', process.execPath, [entry], args, cwd);
    fs.rmSync(path.join(work, 'package', 'oclif.manifest.json'));
    for (const args of COMMANDS) measure('sans manifeste', process.execPath, [entry], args, cwd);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
