// npm run bench:distributed [-- [--dev | --no-build] [--endpoints 300] [--concurrency 4]
//   [--latency 200] [--addresses N] [--fleets 1,2,4] [--wait 1800]]:
// throughput of `vigie scan --distributed` with 1, 2 and 4 `vigie worker` processes (the same
// --concurrency each) on a loopback estate where every connection waits --latency ms (0 allowed;
// --delay is the old name) before it is answered (with a reset), so that waiting dominates as on the
// real Internet, not the CPU. One host per endpoint (one job each), on --addresses loopback
// addresses (default one each, at most 2000). Checks that the store holds each endpoint exactly
// once. Redis: VIGIE_REDIS_URL (default the local 127.0.0.1:6379) under a prefix of its own, removed at the end; store: PostgreSQL
// (VIGIE_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) in a schema of its own,
// dropped at the end. Prints wall time, endpoints/s, the ratio to one worker, each worker's peak
// RSS (VmHWM in /proc/<pid>/status, read before it is stopped), and the peak RSS of the
// `vigie scan --distributed` process (its maximum resident set, by /usr/bin/time when there).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { clearFleetLimits, obliterateQueues } from '../src/queue/index.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = argv.indexOf(`--${name}`);
  const n = i >= 0 ? Number(argv[i + 1]) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
};
const dev = argv.includes('--dev');
const build = !dev && !argv.includes('--no-build');
const ENDPOINTS = option('endpoints', 300);
const CONCURRENCY = option('concurrency', 4);
const optionOrZero = (name: string): number | undefined => {
  const i = argv.indexOf(`--${name}`);
  const n = i >= 0 ? Number(argv[i + 1]) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
};
const DELAY_MS = optionOrZero('latency') ?? optionOrZero('delay') ?? 200;
const ADDRESSES = Math.min(ENDPOINTS, option('addresses', Math.min(ENDPOINTS, 2000)));
const WAIT_S = option('wait', 1800);
const fleetsArg = argv.indexOf('--fleets');
const FLEETS = (fleetsArg >= 0 ? (argv[fleetsArg + 1] ?? '') : '1,2,4')
  .split(',')
  .map(Number)
  .filter((n) => Number.isSafeInteger(n) && n > 0);
const root = path.resolve(new URL('..', import.meta.url).pathname);
const cli = path.join(root, 'bin', dev ? 'dev.js' : 'run.js');
if (build) {
  const tsc = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
    { cwd: root, stdio: 'inherit' },
  );
  if (tsc.status !== 0)
    process.stderr.write('bench:distributed: tsc reported errors, measuring dist/ anyway\n');
}

// Every connection waits DELAY_MS (--latency), then is reset: a far-away server that refuses TLS.
// One listener per loopback address (127.0.x.y), --addresses of them (default: one per endpoint, at
// most 2000); host i is on address i mod --addresses. The engine and the fleet are polite per address.
const sockets = new Set<net.Socket>();
const servers: net.Server[] = [];
const addressOf = (i: number) => `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
const ports: number[] = [];
for (let i = 0; i < ADDRESSES; i++) {
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    setTimeout(() => s.resetAndDestroy(), DELAY_MS);
  });
  await new Promise<void>((resolve) => server.listen(0, addressOf(i), resolve));
  servers.push(server);
  ports.push((server.address() as net.AddressInfo).port);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-dist-'));
const inv = path.join(work, 'vigie.yml');
const lines = [
  '# vigie.yml généré par npm run bench:distributed',
  'organisation: { name: Région Mesure, language: fr, timezone: Europe/Paris }',
  'scan: { timeoutMs: 5000 }',
  'assets:',
];
// One line per asset (flow style): 50 000 of them stay under the 8 MiB bound of vigie.yml.
for (let i = 0; i < ENDPOINTS; i++) {
  const a = i % ADDRESSES;
  lines.push(
    `  - { id: a${i}, name: S${i}, owner: C${i % 93}, criticality: medium, hosts: [{ name: h${i}.b.test, address: ${addressOf(a)} }], ports: [${ports[a]}], expose: [https] }`,
  );
}
fs.writeFileSync(inv, `${lines.join('\n')}\n`, { mode: 0o600 });

const prefix = `vigie-bench-dist-${process.pid}`;
const redisUrl = process.env['VIGIE_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const dbBase = process.env['VIGIE_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `bench_distributed_${process.pid}`;
const env = {
  ...process.env,
  VIGIE_LANG: 'fr',
  NO_COLOR: '1',
  VIGIE_REDIS_URL: redisUrl,
  VIGIE_QUEUE_PREFIX: prefix,
  VIGIE_DATABASE_URL: `${dbBase}?schema=${schema}`,
  VIGIE_DATA_DIR: path.join(work, 'data'),
};

async function startWorker(): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, [cli, 'worker', '--concurrency', String(CONCURRENCY)], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready in 60 s:\n${err}`)), 60_000);
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      if (err.includes('prêt')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited ${code}:\n${err}`)));
  });
  return child as ChildProcess & { pid: number };
}

/** Runs the CLI without blocking this process (its servers answer meanwhile); bounded. */
const TIME = '/usr/bin/time';
const timed = fs.existsSync(TIME);

function run(
  args: string[],
  timeoutMs: number,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Under /usr/bin/time: its last line of stderr is the process's peak RSS in kB.
    const child = timed
      ? spawn(TIME, ['-f', 'maxrss-kb=%M', process.execPath, ...args], {
          cwd: root,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({
        status,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

const hwmMb = (pid: number): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

const rows: Record<string, string | number>[] = [];
let baseline = 0;
try {
  for (const n of FLEETS) {
    const workers = await Promise.all(Array.from({ length: n }, () => startWorker()));
    const t0 = Date.now();
    // Not spawnSync: the estate's servers live in this process, whose event loop must keep turning
    // (blocked, their 200 ms answers became the probes' 5 s timeouts: the old 5 s per host job).
    const scan = await run(
      [cli, 'scan', '-i', inv, '--distributed', '--only', 'tls', '--json', '--wait', String(WAIT_S)],
      (WAIT_S + 60) * 1000,
    );
    const wallS = (Date.now() - t0) / 1000;
    const result = JSON.parse(scan.stdout) as {
      run?: { id: string };
      endpoints?: unknown[];
      error?: { message: string };
    };
    const saved = result.endpoints?.length ?? 0;
    // Every endpoint saved exactly once: its rows in the store, and the distinct (host, port).
    const db = new pg.Client({ connectionString: dbBase });
    await db.connect();
    const counted = await db.query<{ rows: string; distinct: string }>(
      `SELECT count(*) AS rows, count(DISTINCT (lower(host), port)) AS distinct FROM ${schema}.run_endpoints WHERE run_id = $1`,
      [result.run?.id ?? ''],
    );
    await db.end();
    const storedRows = Number(counted.rows[0]?.rows ?? 0);
    const storedDistinct = Number(counted.rows[0]?.distinct ?? 0);
    if (storedRows !== ENDPOINTS || storedDistinct !== ENDPOINTS)
      throw new Error(`fleet of ${n}: ${storedRows} rows in the store for ${storedDistinct} endpoints`);
    if (saved !== ENDPOINTS)
      throw new Error(
        `fleet of ${n}: ${saved} endpoints, exit ${scan.status}: ${scan.stdout.slice(0, 2000)}${scan.stderr.slice(-2000)}`,
      );
    const rss = workers.map((w) => hwmMb(w.pid));
    const scanKb = /maxrss-kb=(\d+)/.exec(scan.stderr)?.[1];
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(
      workers.map((w) => new Promise((r) => (w.exitCode === null ? w.once('exit', r) : r(null)))),
    );
    if (baseline === 0) baseline = wallS;
    rows.push({
      workers: n,
      endpoints: ENDPOINTS,
      'wall s': Math.round(wallS * 10) / 10,
      'endpoints/s': Math.round((ENDPOINTS / wallS) * 10) / 10,
      'ratio to 1': Math.round((baseline / wallS) * 100) / 100,
      'stored rows': storedRows,
      'worker peak RSS MB': rss.join(' / '),
      'scan peak RSS MB': scanKb ? Math.round(Number(scanKb) / 1024) : 'n/a',
      exit: scan.status ?? -1,
    });
    process.stderr.write(`${JSON.stringify(rows.at(-1))}\n`);
  }
} finally {
  for (const s of sockets) s.destroy();
  for (const server of servers) server.close();
  await obliterateQueues({ url: redisUrl, prefix });
  await clearFleetLimits({ url: redisUrl, prefix });
  const client = new pg.Client({ connectionString: dbBase });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  fs.rmSync(work, { recursive: true, force: true });
}

console.table(rows);
console.log(
  JSON.stringify({
    bench: 'distributed',
    delayMs: DELAY_MS,
    addresses: ADDRESSES,
    concurrency: CONCURRENCY,
    cli: dev ? 'bin/dev.js' : 'bin/run.js',
    loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
    cpus: os.cpus().length,
    rows,
  }),
);
