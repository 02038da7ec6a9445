// npm run bench:inventory [-- N …] [--built] [--runs R]: for each N (10 000 by default), writes a
// vigie.yml of N assets, then runs `vigie inventory validate` on it as a user would, R times (3 by
// default), each in a fresh process (from the sources through tsx; with --built, the compiled
// bin/run.js, after `npm run build`), and prints wall time, CPU time and peak RSS; then the same load
// in this process, for where the time goes. Several sizes end with one table of the peaks: reading
// the inventory should not grow memory with the estate (issue 17, ADR 0033). The shape of
// examples/vigie.yml holds about 27 000 assets under the 8 MiB limit of a YAML file; beyond, a denser
// shape is written (one line an asset, `compact` in the table). Issue 12's targets: under 3 s and
// 300 MB for 10 000 assets. Figures, not assertions.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { readInventory } from '../src/app/inventory/inventory.js';
import { YAML_LIMITS } from '../src/config/yaml-bounds.js';
import { compactInventory, largeInventory } from './inventory-fixture.js';

const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Math.max(1, Number(argv[runsAt + 1]) || 1) : 3;
const sizes = argv
  .filter((a, i) => /^\d+$/.test(a) && !(runsAt >= 0 && i === runsAt + 1))
  .map(Number)
  .filter((n) => n > 0);
const SIZES = sizes.length > 0 ? sizes : [10_000];
const built = argv.includes('--built');
const root = path.resolve(new URL('..', import.meta.url).pathname);
const dir = mkdtempSync(path.join(tmpdir(), 'vigie-bench-'));
/** Preloaded into the measured process: prints its peak RSS and CPU time at exit (no loader needed). */
const REPORT_USAGE =
  'data:text/javascript,' +
  encodeURIComponent(
    "import { writeSync } from 'node:fs';" +
      "process.on('exit', () => { const u = process.resourceUsage();" +
      'writeSync(2, `\\nBENCH_MAX_RSS_KB=${u.maxRSS}\\nBENCH_CPU_MS=${Math.round((u.userCPUTime + u.systemCPUTime) / 1000)}\\n`); });',
  );
const megabytes = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

interface Run {
  ms: number;
  code: number | null;
  rssKb: number;
  cpuMs: number;
  out: string;
  err: string;
}

function runCli(file: string): Promise<Run> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      REPORT_USAGE,
      path.join(root, built ? 'bin/run.js' : 'bin/dev.js'),
      'inventory',
      'validate',
      '-i',
      file,
      '--json',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VIGIE_DATA_DIR: dir } },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const rss = /BENCH_MAX_RSS_KB=(\d+)/.exec(err);
      const cpu = /BENCH_CPU_MS=(\d+)/.exec(err);
      resolve({
        ms: performance.now() - started,
        code,
        rssKb: Number(rss?.[1] ?? NaN),
        cpuMs: Number(cpu?.[1] ?? NaN),
        out,
        err,
      });
    });
  });
}

interface Row {
  assets: number;
  shape: string;
  mb: string;
  endpoints: number;
  best: Run;
  peakKb: number;
  load: string;
}

const rows: Row[] = [];
const load = (): string => loadavg()[0]?.toFixed(1) ?? '?';
try {
  for (const count of SIZES) {
    const file = path.join(dir, `vigie-${count}.yml`);
    let text = largeInventory(count);
    let shape = 'examples';
    if (Buffer.byteLength(text) > YAML_LIMITS.maxBytes) {
      text = compactInventory(count);
      shape = 'compact';
    }
    writeFileSync(file, text, { mode: 0o600 });
    text = '';
    console.log(`vigie.yml: ${count} assets (${shape}), ${megabytes(statSync(file).size)} MB`);
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await runCli(file);
      if (r.code !== 0) {
        console.error(r.out + r.err);
        throw new Error(`inventory validate exited with ${r.code}`);
      }
      runs.push(r);
      console.log(
        `  vigie inventory validate (new process, ${built ? 'bin/run.js' : 'bin/dev.js through tsx'}): ` +
          `${(r.ms / 1000).toFixed(2)} s wall, ${(r.cpuMs / 1000).toFixed(2)} s CPU, peak RSS ${(r.rssKb / 1024).toFixed(0)} MB`,
      );
    }
    const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
    const started = performance.now();
    const view = readInventory(file);
    const inProcess = performance.now() - started;
    console.log(
      `  readInventory in this process: ${inProcess.toFixed(0)} ms (${view.assets.length} assets, ${view.endpoints.length} endpoints)`,
    );
    console.log(
      `best of ${RUNS}: ${(best.ms / 1000).toFixed(2)} s wall, ${(best.cpuMs / 1000).toFixed(2)} s CPU, ` +
        `${(best.rssKb / 1024).toFixed(0)} MB peak RSS (targets for 10 000 assets: 3 s, 300 MB; load average ${load()})`,
    );
    const endpoints = (JSON.parse(best.out) as { endpoints: number }).endpoints;
    rows.push({
      assets: count,
      shape,
      mb: megabytes(statSync(file).size),
      endpoints,
      best,
      peakKb: Math.max(...runs.map((r) => r.rssKb)),
      load: load(),
    });
    rmSync(file, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (rows.length > 1) {
  console.log(`\n\`vigie inventory validate\` (${built ? 'bin/run.js' : 'bin/dev.js'}), best of ${RUNS}`);
  console.log('| assets | shape | vigie.yml | endpoints | wall | CPU | peak RSS (highest) | load |');
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.assets} | ${r.shape} | ${r.mb} MB | ${r.endpoints} | ${(r.best.ms / 1000).toFixed(2)} s | ` +
        `${(r.best.cpuMs / 1000).toFixed(2)} s | ${(r.best.rssKb / 1024).toFixed(0)} MB (${(r.peakKb / 1024).toFixed(0)} MB) | ${r.load} |`,
    );
  }
}
