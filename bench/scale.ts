// npm run bench:scale [-- [--dev | --no-build] [--scan-only] [--save-only] [--addresses A] 2000 10000]: the full CLI path on an estate of N endpoints — a generated
// inventory (N hosts pinned to loopback, spread over a few fake HTTPS sites that this script starts
// in a separate process), `vigie scan -i … --output …` with save, then
// `vigie report --format html` and `--format md` — each command in its own process, measured with
// /usr/bin/time -v (wall time and peak RSS). Prints one table, and a JSON line per N for the record.
// By default it measures what the installed package runs: dist/ compiled once here by tsc (as
// `npm run build`), started by bin/run.js. `--dev` measures bin/dev.js instead (TypeScript compiled on
// the fly by tsx, which adds its own memory).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const argv = process.argv.slice(2);
const dev = argv.includes('--dev');
// --no-build: measure dist/ as it is (another bench running from it must not see it rewritten).
const build = !dev && !argv.includes('--no-build');
// --scan-only: only the two scan commands (no reports).
const scanOnly = argv.includes('--scan-only');
// --save-only: with --scan-only, only `scan` with save (not `scan --json --no-save`): a long estate measured once.
const saveOnly = argv.includes('--save-only');
// --addresses A: the fake sites listen on 127.0.0.1 … 127.0.0.A (16 by default, 1 as before), and the
// endpoints are spread over them, so the per-host limit (8 at a time per address) no longer dominates.
const addressesAt = argv.indexOf('--addresses');
const ADDRESSES = addressesAt >= 0 ? Math.min(16, Math.max(1, Number(argv[addressesAt + 1]) || 1)) : 16;
const sizes = argv
  .filter((a, i) => !a.startsWith('--') && !(addressesAt >= 0 && i === addressesAt + 1))
  .map(Number)
  .filter((n) => Number.isSafeInteger(n) && n > 0);
const SIZES = sizes.length > 0 ? sizes : [2000, 10000];
const SITES = 8;
// BENCH_NODE_FLAGS: flags for the measured node (e.g. --optimize-for-size, refused in NODE_OPTIONS).
const NODE_FLAGS = (process.env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter(Boolean);
const root = path.resolve(new URL('..', import.meta.url).pathname);
const cli = path.join(root, 'bin', dev ? 'dev.js' : 'run.js');
if (build) {
  // The user's path: compiled JavaScript. Without oclif.manifest.json oclif finds the commands in
  // dist/commands (package.json), which is what the installed package does too, minus the manifest.
  const tsc = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
    { cwd: root, stdio: 'inherit' },
  );
  // tsc writes dist/ even when it reports type errors; the bench measures whatever was written.
  if (tsc.status !== 0) process.stderr.write('bench:scale: tsc reported errors, measuring dist/ anyway\n');
  if (!fs.existsSync(path.join(root, 'dist', 'cli', 'launch.js')))
    throw new Error('npm run build wrote no dist/');
}

interface Measure {
  wallS: number;
  peakMb: number;
  exit: number;
}

/** Runs one vigie command under /usr/bin/time -v; its stdout goes to a file (not held here). */
function measure(args: string[], env: NodeJS.ProcessEnv, stdoutFile: string): Measure {
  const out = fs.openSync(stdoutFile, 'w', 0o600);
  try {
    const r = spawnSync('/usr/bin/time', ['-v', process.execPath, ...NODE_FLAGS, cli, ...args], {
      cwd: root,
      env,
      stdio: ['ignore', out, 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
      // A loaded machine scans about 25 loopback endpoints a second: 50 000 take over half an hour.
      timeout: Math.max(30 * 60_000, Number(env['BENCH_ENDPOINTS'] ?? 0) * 200),
    });
    const err = String(r.stderr);
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
    const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(err);
    const exit = /Exit status: (\d+)/.exec(err);
    if (!rss || !wall) throw new Error(`no measurement for ${args.join(' ')}:\n${err.slice(-2000)}`);
    return {
      wallS: Math.round((Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3])) * 10) / 10,
      peakMb: Math.round(Number(rss[1]) / 1024),
      exit: Number(exit?.[1] ?? r.status ?? -1),
    };
  } finally {
    fs.closeSync(out);
  }
}

/**
 * An inventory of `count` endpoints, each host on one fake site or service port: one host per asset,
 * or two above 40 000 endpoints (an inventory file is limited to 8 MB: 50 000 one-host assets exceed it).
 */
function inventory(count: number, addressed: { address: string; web: number[] }[], ca: string): string {
  const lines = [
    '# vigie.yml généré par npm run bench:scale',
    'organisation: { name: Région Mesure, language: fr, timezone: Europe/Paris }',
    `trust: { caFiles: [${JSON.stringify(ca)}] }`,
    'scan: { timeoutMs: 5000, concurrency: 32 }',
    'assets:',
  ];
  const criticalities = ['low', 'medium', 'high', 'critical'];
  const perAsset = count > 40_000 ? 2 : 1;
  for (let i = 0; i * perAsset < count; i++) {
    // Every endpoint is one of the fake web sites (four TLS profiles, careful or careless headers)
    // under its own name: distinct endpoints, findings on each (the certificate names another host).
    const at = addressed[i % addressed.length]!;
    const port = at.web[Math.floor(i / addressed.length) % at.web.length];
    const hosts = [];
    for (let h = i * perAsset; h < Math.min(count, (i + 1) * perAsset); h++)
      hosts.push(`{ name: h${h}.bench.vigie.test, address: ${at.address} }`);
    lines.push(
      `  - id: actif-${i}`,
      `    name: Service ${i}`,
      `    owner: Commune ${i % 93}`,
      `    criticality: ${criticalities[i % 4]}`,
      `    hosts: [${hosts.join(', ')}]`,
      `    ports: [${port}]`,
      '    expose: [https]',
    );
  }
  return `${lines.join('\n')}\n`;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-scale-'));
const server = spawn(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'bench', 'tls-estate-server.ts'), String(SITES), String(ADDRESSES)],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const lines = createInterface({ input: server.stdout })[Symbol.asyncIterator]();
const first = await lines.next();
const estate = JSON.parse(String(first.value)) as {
  addressed: { address: string; web: number[] }[];
  rootPem: string;
};
const caFile = path.join(work, 'bench-root.pem');
fs.writeFileSync(caFile, estate.rootPem, { mode: 0o600 });

const rows: Record<string, string | number>[] = [];
try {
  for (const n of SIZES) {
    const dir = path.join(work, `n${n}`);
    fs.mkdirSync(dir, { mode: 0o700 });
    const inv = path.join(dir, 'vigie.yml');
    fs.writeFileSync(inv, inventory(n, estate.addressed, caFile), { mode: 0o600 });
    const env = {
      ...process.env,
      VIGIE_DATA_DIR: path.join(dir, 'data'),
      NO_COLOR: '1',
      BENCH_ENDPOINTS: String(n),
    };
    const scan = measure(
      ['scan', '-i', inv, '--output', path.join(dir, 'scan.txt')],
      env,
      path.join(dir, 'scan.out'),
    );
    const skipped: Measure = { wallS: 0, peakMb: 0, exit: 0 };
    const html = scanOnly
      ? skipped
      : measure(
          ['report', '-i', inv, '--format', 'html', '--output', path.join(dir, 'report.html')],
          env,
          path.join(dir, 'html.out'),
        );
    const md = scanOnly
      ? skipped
      : measure(
          ['report', '-i', inv, '--format', 'md', '--output', path.join(dir, 'report.md')],
          env,
          path.join(dir, 'md.out'),
        );
    const json = saveOnly
      ? skipped
      : measure(['scan', '-i', inv, '--json', '--no-save'], env, path.join(dir, 'scan.json'));
    const size = (f: string) => {
      try {
        return `${(fs.statSync(path.join(dir, f)).size / 1e6).toFixed(1)} MB`;
      } catch {
        return '-';
      }
    };
    const row = {
      endpoints: n,
      scanS: scan.wallS,
      scanPeakMb: scan.peakMb,
      scanExit: scan.exit,
      jsonScanS: json.wallS,
      jsonScanPeakMb: json.peakMb,
      jsonSize: size('scan.json'),
      htmlS: html.wallS,
      htmlPeakMb: html.peakMb,
      htmlSize: size('report.html'),
      mdS: md.wallS,
      mdPeakMb: md.peakMb,
      mdSize: size('report.md'),
    };
    rows.push(row);
    process.stdout.write(`${JSON.stringify(row)}\n`);
  }
} finally {
  server.stdin.write('stop\n');
  await new Promise((resolve) => server.once('exit', resolve));
  if (process.env['BENCH_KEEP']) process.stdout.write(`kept ${work}\n`);
  else fs.rmSync(work, { recursive: true, force: true });
}

const cpus = os.cpus().length;
const load = os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');
process.stdout.write(
  `\nvigie, full CLI path (bin/${dev ? 'dev' : 'run'}.js), ${cpus} cores, Node ${process.version}, ` +
    `${ADDRESSES} loopback address(es), load ${load}\n`,
);
process.stdout.write(
  '| endpoints | scan + save | peak | scan --json --no-save | peak | report html | peak | size | report md | peak |\n' +
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n',
);
for (const r of rows) {
  process.stdout.write(
    `| ${r.endpoints} | ${r.scanS} s | ${r.scanPeakMb} MB | ${r.jsonScanS} s | ${r.jsonScanPeakMb} MB | ` +
      `${r.htmlS} s | ${r.htmlPeakMb} MB | ${r.htmlSize} | ${r.mdS} s | ${r.mdPeakMb} MB |\n`,
  );
}
