// npm run bench:report-scale [-- [--root DIR] [--no-build] [--formats html,md,...] [--timeout-min M]
// 2000 10000 50000]:
// `vigie report` on a
// stored estate of N endpoints, on the built CLI (bin/run.js). The estate is written straight through
// the repositories (bench/report-estate.ts: no scan; two runs so that the lists of changes are not
// empty), then `vigie report --format F` runs for each format F of --formats (default html, md, csv,
// json; also xlsx, sarif, junit, text, and `--json`: the global flag, the report printed as data on
// standard output), each in its own process, under /usr/bin/time -v (wall time, peak resident
// memory). Prints one table and a JSON line per N.
// --root DIR measures another checkout (e.g. main extracted with `git archive`, node_modules linked):
// its dist/ is compiled there and its bin/run.js started, on the estate this checkout writes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../src/store/index.js';
import { reportEstateInventory, seedReportEstate } from './report-estate.js';

const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  const head = fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n');
  const usage = head.slice(
    0,
    head.findIndex((line) => !line.startsWith('//')),
  );
  process.stdout.write(`${usage.map((line) => line.replace(/^\/\/ ?/, '')).join('\n')}\n`);
  process.exit(0);
}
const rootAt = argv.indexOf('--root');
const formatsAt = argv.indexOf('--formats');
const KNOWN = ['html', 'md', 'csv', 'json', 'text', 'xlsx', 'sarif', 'junit', '--json'] as const;
type Format = (typeof KNOWN)[number];
const FORMATS: readonly Format[] =
  formatsAt >= 0
    ? (argv[formatsAt + 1] ?? '').split(',').map((f) => {
        if (!(KNOWN as readonly string[]).includes(f))
          throw new Error(`--formats: unknown format ${f} (known: ${KNOWN.join(', ')})`);
        return f as Format;
      })
    : ['html', 'md', 'csv', 'json'];
const optionValue = (i: number) =>
  [rootAt, formatsAt, argv.indexOf('--timeout-min')].some((at) => at >= 0 && i === at + 1);
const here = path.resolve(new URL('..', import.meta.url).pathname);
const root = rootAt >= 0 ? path.resolve(argv[rootAt + 1] ?? '.') : here;
const build = !argv.includes('--no-build');
const sizes = argv
  .filter((a, i) => !a.startsWith('--') && !optionValue(i))
  .map(Number)
  .filter((n) => Number.isSafeInteger(n) && n > 0);
const SIZES = sizes.length > 0 ? sizes : [2000, 10000, 50000];
const cli = path.join(root, 'bin', 'run.js');
const timeoutAt = argv.indexOf('--timeout-min');
/** Minutes a report may take before it is killed (and recorded as such): --timeout-min, else 30. */
const TIMEOUT_MIN = timeoutAt >= 0 ? Number(argv[timeoutAt + 1]) : 30;

if (build) {
  const tsc = spawnSync(
    process.execPath,
    [path.join(here, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
    { cwd: root, stdio: 'inherit' },
  );
  if (tsc.status !== 0)
    process.stderr.write('bench:report-scale: tsc reported errors, measuring dist/ anyway\n');
  if (!fs.existsSync(path.join(root, 'dist', 'cli', 'launch.js'))) throw new Error(`no dist/ in ${root}`);
}

interface Measure {
  wallS: number;
  peakMb: number;
  exit: number;
  outMb: number;
}

function measure(args: string[], env: NodeJS.ProcessEnv, output: string): Measure {
  const started = Date.now();
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, cli, ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    timeout: TIMEOUT_MIN * 60_000,
  });
  const err = String(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(err);
  const exit = /Exit status: (\d+)/.exec(err);
  if (!rss || !wall) {
    // Killed at the time limit (or before /usr/bin/time could say): recorded, the others still run.
    process.stderr.write(
      `no measurement for ${args.join(' ')} (${r.signal ?? r.status}):\n${err.slice(-2000)}\n`,
    );
    return { wallS: Math.round((Date.now() - started) / 100) / 10, peakMb: -1, exit: -1, outMb: 0 };
  }
  const status = Number(exit?.[1] ?? r.status ?? -1);
  if (status !== 0) process.stderr.write(`${args.join(' ')} exited ${status}:\n${err.slice(-2000)}\n`);
  return {
    wallS: Math.round((Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3])) * 10) / 10,
    peakMb: Math.round(Number(rss[1]) / 1024),
    exit: status,
    outMb: fs.existsSync(output) ? Math.round(fs.statSync(output).size / 104_857.6) / 10 : 0,
  };
}

const load = () => os.loadavg()[0]?.toFixed(1) ?? '?';
const rows: string[] = [];
process.stdout.write(
  `bench:report-scale — ${cli}\nuptime: ${spawnSync('uptime').stdout.toString().trim()}\n`,
);
for (const n of SIZES) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-report-scale-'));
  try {
    const inventory = path.join(dir, 'vigie.yml');
    fs.writeFileSync(inventory, reportEstateInventory(n));
    const seedStart = Date.now();
    const store = openStore(path.join(dir, 'data'));
    try {
      await seedReportEstate(store, n, Date.now());
    } finally {
      await store.close();
    }
    const seedS = Math.round((Date.now() - seedStart) / 100) / 10;
    // The same window for every format (each report is recorded and would move the next one's).
    const since = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const env = { ...process.env, VIGIE_DATA_DIR: path.join(dir, 'data'), NO_COLOR: '1' };
    const measured: Record<string, Measure> = {};
    for (const format of FORMATS) {
      const output = path.join(dir, `rapport.${format === '--json' ? 'flag.json' : format}`);
      // `--json`: the report as data on standard output (not kept), the text report not written.
      const args =
        format === '--json'
          ? ['report', '-i', inventory, '--json', '--since', since]
          : ['report', '-i', inventory, '--format', format, '--since', since, '--output', output];
      measured[format] = measure(args, env, output);
      process.stdout.write(`${n} ${format}: ${JSON.stringify(measured[format])}\n`);
    }
    const cells = FORMATS.map((f) => {
      const m = measured[f]!;
      if (m.peakMb < 0) return `> ${TIMEOUT_MIN} min (arrêté) | — | —`;
      return `${m.wallS} s | ${m.peakMb} Mo | ${m.outMb} Mo${m.exit === 0 ? '' : ` (exit ${m.exit})`}`;
    });
    const row = `| ${n} | ${cells.join(' | ')} | ${load()} |`;
    rows.push(row);
    process.stdout.write(`${JSON.stringify({ endpoints: n, seedS, load: load(), measured })}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
process.stdout.write(
  `\n| points d’accès | ${FORMATS.map((f) => `${f} temps | pic | taille`).join(' | ')} | charge |\n` +
    `|---:|${FORMATS.map(() => '---:|---:|---:').join('|')}|---:|\n${rows.join('\n')}\n` +
    `uptime: ${spawnSync('uptime').stdout.toString().trim()}\n`,
);
