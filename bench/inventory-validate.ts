// npm run bench:inventory [-- N] [--built]: writes a vigie.yml of N assets (10 000 by default), then
// runs `vigie inventory validate` on it as a user would, in a fresh process (from the sources through
// tsx; with --built, the compiled bin/run.js, after `npm run build`), and prints wall time, CPU time
// and peak RSS; then the same load in this process, for where the time goes. Targets (issue 12):
// under 3 s and 300 MB for 10 000 assets. Figures, not assertions.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { readInventory } from '../src/app/inventory/inventory.js';
import { largeInventory } from './inventory-fixture.js';

const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10_000);
const built = process.argv.includes('--built');
const root = path.resolve(new URL('..', import.meta.url).pathname);
const dir = mkdtempSync(path.join(tmpdir(), 'vigie-bench-'));
const file = path.join(dir, 'vigie.yml');
writeFileSync(file, largeInventory(count), { mode: 0o600 });
/** Preloaded into the measured process: prints its peak RSS and CPU time at exit (no loader needed). */
const REPORT_USAGE =
  'data:text/javascript,' +
  encodeURIComponent(
    "import { writeSync } from 'node:fs';" +
      "process.on('exit', () => { const u = process.resourceUsage();" +
      'writeSync(2, `\\nBENCH_MAX_RSS_KB=${u.maxRSS}\\nBENCH_CPU_MS=${Math.round((u.userCPUTime + u.systemCPUTime) / 1000)}\\n`); });',
  );
const megabytes = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

function runCli(): Promise<{ ms: number; code: number | null; rssKb: number; cpuMs: number; out: string }> {
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
        out: out + err,
      });
    });
  });
}

try {
  console.log(`vigie.yml: ${count} assets, ${megabytes(statSync(file).size)} MB`);
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const r = await runCli();
    if (r.code !== 0) {
      console.error(r.out);
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
    `best of 3: ${(best.ms / 1000).toFixed(2)} s wall, ${(best.cpuMs / 1000).toFixed(2)} s CPU, ` +
      `${(best.rssKb / 1024).toFixed(0)} MB peak RSS (targets: 3 s, 300 MB; load average ${loadavg()[0]?.toFixed(1)})`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
