import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  alertsJobId,
  daemonSchedules,
  enqueueGithubSync,
  enqueueOccurrence,
  githubJobId,
  occurrenceJobId,
  queueSettings,
  scheduledRunId,
} from '../../src/app/distributed/index.js';
import { loadConfig } from '../../src/config/index.js';
import { startDnsServer } from '../../src/demo/index.js';
import { obliterateQueues } from '../../src/queue/index.js';
import { markersIn } from '../../src/report/github-issue-text.js';
import type { GithubSyncResult } from '../../src/app/github/index.js';
import GithubSyncCommand from '../../src/commands/github/sync.js';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';
import { openPgStore } from '../../src/store/postgres/open-pg-store.js';
import { runCommand } from '../helpers/run-command.js';
import { startGithubApiServer, type GithubApiServer } from '../helpers/github-api-server.js';
import { jobState } from './daemon-fleet.js';
import { REDIS_URL, resetServer, startWorker, until } from './fleet.js';

// Queues of this file only, removed at the end.
const PREFIX = `vigie-test-ghfleet-${process.pid}`;
const connection = { url: REDIS_URL, prefix: PREFIX };
afterAll(() => obliterateQueues(connection), 30_000);

const TOKEN = 'ghp_TESTTOKEN9876543210zyxwvuZYXWVU987654';
/** Short timings: a dead worker's job is taken again within a few seconds. */
const FAST = {
  VIGIE_REDIS_URL: REDIS_URL,
  VIGIE_QUEUE_PREFIX: PREFIX,
  VIGIE_QUEUE_LOCK_MS: '2000',
  VIGIE_QUEUE_STALLED_MS: '1000',
  VIGIE_QUEUE_ATTEMPTS: '5',
  VIGIE_QUEUE_BACKOFF_MS: '1000',
  VIGIE_WORKER_HEARTBEAT_MS: '300',
  VIGIE_GITHUB_TOKEN: TOKEN,
  // The lease of a GitHub job (renewed every 2 s while it runs) outlives a dead worker by 6 s at most.
  VIGIE_GITHUB_JOB_LEASE_MS: '6000',
};
const DOMAIN = 'mairie.vigie.test';

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-ghfleet-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function githubServer(): Promise<GithubApiServer> {
  const server = await startGithubApiServer({ token: TOKEN });
  onTestFinished(() => server.close());
  return server;
}

function writeInventory(
  dir: string,
  apiUrl: string,
  o: { host?: string; port?: number; domain?: string; resolver?: string } = {},
): string {
  const file = path.join(dir, 'vigie.yml');
  const hosts = o.host === undefined ? 'www.commune.test' : o.host;
  const ports = o.port === undefined ? 443 : o.port;
  fs.writeFileSync(
    file,
    `organisation: { name: Commune Test, language: fr, timezone: Europe/Paris }
${o.resolver ? `dns: { resolver: "${o.resolver}" }\n` : ''}assets:
  - { id: web, name: Web, owner: DSI, criticality: high, hosts: [{ name: ${hosts} }], ports: [${ports}]${o.domain ? `, domains: [${o.domain}]` : ''} }
github: { repository: exemple/securite, apiUrl: "${apiUrl}", allowInsecureLoopback: true, labelPrefix: secu, minSeverity: info }
`,
  );
  return file;
}

/** The store the processes share: SQLite in the data directory, or a PostgreSQL schema of this file's. */
async function sharedStore(
  backend: 'sqlite' | 'postgres',
  dataDir: string,
): Promise<{ env: Record<string, string>; open: () => Promise<Store> }> {
  fs.mkdirSync(dataDir, { recursive: true });
  if (backend === 'sqlite') return { env: {}, open: () => Promise.resolve(openStore(dataDir)) };
  const base = process.env['VIGIE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `t_ghfleet_${process.pid}`;
  onTestFinished(async () => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });
  return {
    env: { VIGIE_DATABASE_URL: `${base}?schema=${schema}` },
    open: () => openPgStore(base, { schema }),
  };
}

/** One closed run of `n` findings in a store (a data directory's SQLite, or what `open` opens). */
async function seedRun(where: string | (() => Promise<Store>), n: number): Promise<string[]> {
  if (typeof where === 'string') fs.mkdirSync(where, { recursive: true });
  const store = typeof where === 'string' ? openStore(where) : await where();
  const at = new Date().toISOString();
  const fingerprints = Array.from({ length: n }, (_, i) => `c0ffee01234567${String(i).padStart(2, '0')}`);
  try {
    await store.runs.save({
      id: 'run-1',
      startedAt: at,
      finishedAt: at,
      scoringVersion: 'test',
      targets: ['inventory'],
      endpoints: fingerprints.map((_, i) => ({
        host: `h${i}.commune.test`,
        port: 443,
        assetId: 'web',
        status: 'assessed' as const,
        checks: { 'tls.cert.weak-signature': 'fail' as const },
      })),
      findings: fingerprints.map((fingerprint, i) => ({
        fingerprint,
        checkId: 'tls.cert.weak-signature',
        severity: 'high' as const,
        category: 'tls' as const,
        host: `h${i}.commune.test`,
        port: 443,
        assetId: 'web',
        details: { subject: `CN=h${i}.commune.test`, algorithm: 'sha1WithRSAEncryption' },
      })),
    });
  } finally {
    await store.close();
  }
  return fingerprints;
}

/** The subjects (`finding:<fingerprint>`) of the issues, from their hidden markers, sorted. */
function issueSubjects(server: GithubApiServer): string[] {
  return [...server.issues.values()].flatMap((i) => markersIn(i.body)).sort();
}

/** When a job ended (BullMQ's finishedOn), to order the jobs of a run. */
async function finishedOn(queue: string, id: string): Promise<number | undefined> {
  const q = new Queue(queue, { connection: { url: REDIS_URL }, prefix: PREFIX });
  try {
    return (await q.getJob(id))?.finishedOn;
  } finally {
    await q.close();
  }
}

const completed = (queue: string, id: string) => async () => {
  const s = await jobState(connection, queue, id);
  if (s?.state === 'failed') throw new Error(`${id} failed`);
  return s?.state === 'completed' ? s : undefined;
};

describe('the GitHub synchronisation, a single job on the fleet', () => {
  it('a scheduled scan caught up by two daemons syncs GitHub once, after its run is closed and its alerts', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const env = { ...FAST, VIGIE_DATA_DIR: dataDir };
    const server = await githubServer();
    const host = await resetServer('127.0.0.14');
    const [hostName = '', port = '0'] = host.target.split(':');
    const dns = await startDnsServer({
      host: '127.0.0.15',
      records: [
        { name: DOMAIN, type: 'SOA', data: { mname: `ns1.${DOMAIN}`, rname: `hostmaster.${DOMAIN}` } },
        { name: DOMAIN, type: 'NS', data: `ns1.${DOMAIN}` },
        { name: DOMAIN, type: 'TXT', data: 'v=spf1 ip4:192.0.2.0/24 +all' },
      ],
    });
    onTestFinished(() => dns.close());
    const inventory = writeInventory(dir, server.apiUrl, {
      host: hostName,
      port: Number(port),
      domain: DOMAIN,
      resolver: dns.address,
    });
    const settings = queueSettings(env);
    const scan = daemonSchedules(loadConfig(inventory), inventory).find((s) => s.id === 'daemon.scan')!;
    const firedAt = new Date(Date.now() - 1000);
    // Two daemons enqueue the same occurrence: one job, one run, one GitHub job.
    expect(await enqueueOccurrence(settings, scan, firedAt)).toBe(true);
    expect(await enqueueOccurrence(settings, scan, firedAt)).toBe(false);
    const runId = scheduledRunId(firedAt, occurrenceJobId('daemon.scan', firedAt.getTime()));
    const workers = await Promise.all([
      startWorker(env, ['--queues', 'scan,notify', '--concurrency', '2']),
      startWorker(env, ['--queues', 'scan,notify', '--concurrency', '2']),
    ]);
    const ended = await until('the GitHub job has ended', completed('notify', githubJobId(runId)), 120_000);
    const outcome = ended.returnValue as { outcome: string; detail: string };
    expect(outcome.outcome, outcome.detail).toBe('ok');
    // After the alerts job (hence after the finishing job closed the run).
    const [alertsAt, githubAt] = await Promise.all([
      finishedOn('notify', alertsJobId(runId)),
      finishedOn('notify', githubJobId(runId)),
    ]);
    expect(alertsAt).toBeDefined();
    expect(githubAt!).toBeGreaterThanOrEqual(alertsAt!);
    const s = openStore(dataDir);
    try {
      const run = await s.runs.get(runId);
      expect(run?.finishedAt).toBeDefined();
      const fingerprints = [...new Set(run?.findings.map((f) => f.fingerprint))].sort();
      expect(fingerprints.length).toBeGreaterThan(0);
      // Each finding of the run once on GitHub.
      expect(issueSubjects(server)).toEqual(fingerprints.map((f) => `finding:${f}`));
      expect(outcome.detail).toMatch(/^exemple\/securite : \d+ action\(s\)/);
      expect(server.sequence().filter((c) => c === 'POST /issues')).toHaveLength(fingerprints.length);
      const record = (await s.daemon.listJobs()).find((j) => j.job === 'githubSync');
      expect(record).toMatchObject({ lastOutcome: 'ok', lastDetail: outcome.detail });
    } finally {
      await s.close();
    }
    // The same job id again (a third daemon, a retried scan job): nothing added.
    expect(await enqueueGithubSync(settings, inventory, githubJobId(runId))).toBe(false);
    for (const w of workers) w.child.kill('SIGTERM');
    for (const w of workers) expect(await w.exited).toBe(0);
  }, 180_000);

  it.each(['sqlite', 'postgres'] as const)(
    'the same job enqueued twice, and another occurrence at the same time, on two workers: each issue once (%s)',
    async (backend) => {
      const dir = tempDir();
      const dataDir = path.join(dir, 'data');
      const shared = await sharedStore(backend, dataDir);
      const env = { ...FAST, VIGIE_DATA_DIR: dataDir, ...shared.env };
      const server = await githubServer();
      const inventory = writeInventory(dir, server.apiUrl);
      const fingerprints = await seedRun(shared.open, 3);
      const settings = queueSettings(env);
      expect(await enqueueGithubSync(settings, inventory, `run-a-${backend}.github`)).toBe(true);
      expect(await enqueueGithubSync(settings, inventory, `run-a-${backend}.github`)).toBe(false);
      expect(await enqueueGithubSync(settings, inventory, `run-b-${backend}.github`)).toBe(true);
      const workers = await Promise.all([
        startWorker(env, ['--queues', 'notify']),
        startWorker(env, ['--queues', 'notify']),
      ]);
      const ended = await Promise.all(
        [`run-a-${backend}.github`, `run-b-${backend}.github`].map((id) =>
          until(`${id} has ended`, completed('notify', id), 90_000),
        ),
      );
      const details = ended.map((e) => (e.returnValue as { outcome: string; detail: string }).detail);
      expect(issueSubjects(server), details.join(' | ')).toEqual(fingerprints.map((f) => `finding:${f}`));
      expect(server.sequence().filter((c) => c === 'POST /issues')).toHaveLength(3);
      // Each one synchronised, or found the lease held by the other and passed. (Which one created
      // the issues is not asserted: on a loaded machine a job may be taken again after its lock
      // expired, and its second attempt then finds them all, by the links table.)
      for (const d of details)
        expect(d).toMatch(
          /^exemple\/securite : \d+ action|^une autre instance de vigie synchronise déjà GitHub \(job:run-/,
        );
      const s = await shared.open();
      try {
        expect((await s.githubLinks.list()).map((l) => l.issueNumber).sort()).toEqual([1, 2, 3]);
      } finally {
        await s.close();
      }
      for (const w of workers) w.child.kill('SIGTERM');
      for (const w of workers) expect(await w.exited).toBe(0);
    },
    120_000,
  );

  it('a worker killed mid-sync, its issue created but not yet recorded: the retry creates no duplicate', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const env = { ...FAST, VIGIE_DATA_DIR: dataDir };
    const server = await githubServer();
    const inventory = writeInventory(dir, server.apiUrl);
    const fingerprints = await seedRun(dataDir, 2);
    const settings = queueSettings(env);
    // GitHub creates the first issue, but its answer never reaches the worker, killed meanwhile.
    server.hold({ method: 'POST', path: /\/issues$/ });
    const first = await startWorker(env, ['--queues', 'notify']);
    expect(await enqueueGithubSync(settings, inventory, 'run-k.github')).toBe(true);
    await until('the first issue is created', () => Promise.resolve(server.held() >= 1 || undefined), 60_000);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    expect(server.issues.size).toBe(1);
    const s0 = openStore(dataDir);
    try {
      // Nothing recorded locally; the lease is still the dead attempt's.
      expect(await s0.githubLinks.list()).toEqual([]);
    } finally {
      await s0.close();
    }
    const second = await startWorker(env, ['--queues', 'notify']);
    const ended = await until('the GitHub job has ended', completed('notify', 'run-k.github'), 90_000);
    expect(ended.attemptsStarted).toBeGreaterThanOrEqual(2);
    const detail = (ended.returnValue as { detail: string }).detail;
    // The issue of the dead attempt is found by its hidden marker: linked, not created again (one
    // attempt more, on a machine so loaded that the retry's lock expired too, would find both linked).
    expect(detail).toMatch(/^exemple\/securite : \d+ action\(s\)/);
    expect(server.sequence().filter((c) => c === 'POST /issues')).toHaveLength(2);
    if (ended.attemptsStarted === 2) {
      expect(detail).toContain('1 ticket(s) créé(s)');
      expect(detail).toContain('1 lien(s) retrouvé(s)');
    }
    expect(issueSubjects(server)).toEqual(fingerprints.map((f) => `finding:${f}`));
    const s = openStore(dataDir);
    try {
      expect((await s.githubLinks.list()).map((l) => l.issueNumber).sort()).toEqual([1, 2]);
    } finally {
      await s.close();
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 150_000);

  it('without VIGIE_GITHUB_TOKEN on the worker: the job ends, skipped with its reason', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const env = { ...FAST, VIGIE_DATA_DIR: dataDir, VIGIE_GITHUB_TOKEN: '' };
    const server = await githubServer();
    const inventory = writeInventory(dir, server.apiUrl);
    await seedRun(dataDir, 1);
    const worker = await startWorker(env, ['--queues', 'notify']);
    expect(await enqueueGithubSync(queueSettings(env), inventory, 'run-n.github')).toBe(true);
    const ended = await until('the GitHub job has ended', completed('notify', 'run-n.github'), 60_000);
    expect(ended.returnValue).toEqual({
      outcome: 'skipped',
      detail: expect.stringContaining('VIGIE_GITHUB_TOKEN absente') as string,
    });
    expect(ended.attemptsStarted).toBe(1);
    expect(server.calls).toEqual([]);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 90_000);

  it('vigie github sync --distributed: a worker (with the token) syncs as a single job, the command prints its result', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const env = { ...FAST, VIGIE_DATA_DIR: dataDir };
    const server = await githubServer();
    const inventory = writeInventory(dir, server.apiUrl);
    const fingerprints = await seedRun(dataDir, 2);
    const worker = await startWorker(env, ['--queues', 'notify']);
    // The command's own environment has no token: only the worker talks to GitHub.
    const cmdEnv = { ...env, VIGIE_GITHUB_TOKEN: undefined, VIGIE_LANG: undefined };
    const out = await runCommand(GithubSyncCommand, ['-i', inventory, '--distributed', '--json'], cmdEnv);
    expect(out.exitCode, out.stderr).toBe(0);
    const json = out.json<GithubSyncResult>();
    expect(json).toMatchObject({ repository: 'exemple/securite', dryRun: false, minSeverity: 'info' });
    expect(json.actions.map((a) => [a.kind, a.done])).toEqual([
      ['create', true],
      ['create', true],
    ]);
    expect(issueSubjects(server)).toEqual(fingerprints.map((f) => `finding:${f}`));
    const text = await runCommand(GithubSyncCommand, ['-i', inventory, '--distributed'], cmdEnv);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain('Synchronisation avec exemple/securite : 0 action(s) effectuée(s).');
    const both = await runCommand(GithubSyncCommand, ['-i', inventory, '--distributed', '--dry-run'], cmdEnv);
    expect(both.exitCode).toBe(2);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 120_000);
});
