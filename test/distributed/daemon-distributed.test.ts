import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  cronNextRun,
  daemonSchedules,
  enqueueOccurrence,
  occurrenceJobId,
  queueSettings,
  syncDaemonSchedules,
} from '../../src/app/distributed/index.js';
import DaemonStatusCommand from '../../src/commands/daemon/status.js';
import { loadConfig } from '../../src/config/index.js';
import { startDnsServer } from '../../src/demo/index.js';
import { systemClock } from '../../src/domain/index.js';
import {
  listJobSchedulers,
  obliterateQueues,
  syncJobSchedulers,
  QUEUE_NAMES,
} from '../../src/queue/index.js';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';
import { openPgStore } from '../../src/store/postgres/open-pg-store.js';
import { runCommand } from '../helpers/run-command.js';
import { endedJobIds, jobState, pendingJobs, smtpSink, startDaemon } from './daemon-fleet.js';
import { REDIS_URL, resetServer, startWorker, until } from './fleet.js';

// Queues and schedulers of this file only, removed at the end.
const PREFIX = `vigie-test-dsched-${process.pid}`;
const connection = { url: REDIS_URL, prefix: PREFIX };
afterAll(() => obliterateQueues(connection), 30_000);

/** Short timings: a dead worker's job is taken again within a few seconds; retries 1, 2, 4, 8 s. */
const FAST = {
  VIGIE_REDIS_URL: REDIS_URL,
  VIGIE_QUEUE_PREFIX: PREFIX,
  VIGIE_QUEUE_LOCK_MS: '2000',
  VIGIE_QUEUE_STALLED_MS: '1000',
  VIGIE_QUEUE_ATTEMPTS: '5',
  VIGIE_QUEUE_BACKOFF_MS: '1000',
  VIGIE_WORKER_HEARTBEAT_MS: '300',
};

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-dsched-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function writeInventory(
  dir: string,
  o: { host?: string; port?: number; scan?: string; smtpPort?: number; domain?: string; resolver?: string },
): string {
  const file = path.join(dir, 'vigie.yml');
  const assets =
    o.host === undefined
      ? ''
      : `assets:
  - { id: web, name: Web, owner: DSI, criticality: high, hosts: [{ name: ${o.host} }], ports: [${o.port}]${o.domain ? `, domains: [${o.domain}]` : ''} }
`;
  const mail =
    o.smtpPort === undefined
      ? ''
      : `mail:
  host: 127.0.0.1
  port: ${o.smtpPort}
  secure: false
  allowPlaintextLoopback: true
  from: "vigie <vigie@exemple.fr>"
  recipients: { managers: [dgs@exemple.fr], security: [rssi@exemple.fr] }
`;
  fs.writeFileSync(
    file,
    `organisation: { name: Commune Test, language: fr, timezone: Europe/Paris }
${o.resolver ? `dns: { resolver: "${o.resolver}" }\n` : ''}${assets}schedule: { scan: "${o.scan ?? '0 2 * * *'}" }
${mail}`,
  );
  return file;
}

/** Removes the daemon's schedulers (the daemons are stopped: nothing puts them back). */
async function dropSchedulers(): Promise<void> {
  await syncJobSchedulers(connection, QUEUE_NAMES, [], {
    managedPrefix: 'daemon.',
    nextRun: () => undefined,
  });
}

const store = (dataDir: string) => openStore(dataDir);
const DOMAIN = 'mairie.vigie.test';

/** The store the processes share: SQLite in the data directory, or a PostgreSQL schema of this test's. */
async function sharedStore(
  backend: 'sqlite' | 'postgres',
  dataDir: string,
): Promise<{ env: Record<string, string>; open: () => Promise<Store> }> {
  if (backend === 'sqlite') return { env: {}, open: () => Promise.resolve(openStore(dataDir)) };
  const base = process.env['VIGIE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `t_dsched_${process.pid}`;
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

describe('the daemon in distributed mode', () => {
  it('puts the schedules of vigie.yml in Redis, leaves them as they are, removes those taken out; status shows them', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const env = { ...FAST, VIGIE_DATA_DIR: dataDir };
    const ctx = { clock: systemClock, lang: 'fr' as const, dataDir };
    const settings = queueSettings(env);
    const withMail = writeInventory(dir, { smtpPort: 2525 });
    const first = await syncDaemonSchedules(ctx, settings, withMail);
    const all = [
      'daemon.certificateAlerts',
      'daemon.digest',
      'daemon.discovery',
      'daemon.mailRetry',
      'daemon.scan',
    ];
    expect(first.added.sort()).toEqual(all);
    const listed = await listJobSchedulers(connection, QUEUE_NAMES);
    expect(listed.map((s) => `${s.id} ${s.queue} ${s.pattern} ${s.tz}`).sort()).toEqual([
      'daemon.certificateAlerts notify 0 7 * * * Europe/Paris',
      'daemon.digest notify 0 8 * * 1 Europe/Paris',
      'daemon.discovery discover 0 3 * * 0 Europe/Paris',
      'daemon.mailRetry notify */5 * * * * Europe/Paris',
      'daemon.scan scan 0 2 * * * Europe/Paris',
    ]);
    const scanNext = listed.find((s) => s.id === 'daemon.scan')?.next;
    // The next occurrence is the daemon's own cron reading: 02:00 in Paris.
    expect(new Date(scanNext ?? 0).toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris' })).toBe(
      '02:00:00',
    );

    // A second daemon (or the same, again) changes nothing.
    const again = await syncDaemonSchedules(ctx, settings, withMail);
    expect(again).toEqual({
      added: [],
      updated: [],
      removed: [],
      kept: expect.arrayContaining(all) as string[],
    });
    expect((await listJobSchedulers(connection, QUEUE_NAMES)).find((s) => s.id === 'daemon.scan')?.next).toBe(
      scanNext,
    );

    // Without `mail:`, the mail schedules leave Redis; a changed expression is replaced.
    const without = writeInventory(dir, { scan: '30 1 * * *' });
    const second = await syncDaemonSchedules(ctx, settings, without);
    expect(second.removed.sort()).toEqual(['daemon.certificateAlerts', 'daemon.digest', 'daemon.mailRetry']);
    expect(second.updated).toEqual(['daemon.scan']);
    expect(
      (await listJobSchedulers(connection, QUEUE_NAMES)).map((s) => `${s.id} ${s.pattern}`).sort(),
    ).toEqual(['daemon.discovery 0 3 * * 0', 'daemon.scan 30 1 * * *']);

    const status = await runCommand(DaemonStatusCommand, ['-i', without], env);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toContain('Planification distribuée dans Redis');
    expect(status.stdout).toMatch(/scan\s+│?\s*scan\s+│?\s*30 1 \* \* \*\s+│?\s*\d{4}-\d\d-\d\d 01:30:00/);
    const json = (await runCommand(DaemonStatusCommand, ['-i', without, '--json'], env)).json<{
      distributed: { reachable: boolean; schedules: { job: string; nextRunAt?: string }[] };
      jobs: { job: string; nextRunAt?: string }[];
    }>();
    expect(json.distributed.reachable).toBe(true);
    expect(json.distributed.schedules.map((s) => s.job).sort()).toEqual(['discovery', 'scan']);
    // The next runs from Redis are recorded in the store too (the table of `daemon status`).
    expect(json.jobs.find((j) => j.job === 'scan')?.nextRunAt).toBe(
      json.distributed.schedules.find((s) => s.job === 'scan')?.nextRunAt,
    );
    await dropSchedulers();
  }, 60_000);

  it("fires on vigie's cron reading, not cron-parser's: day of month AND day of week", async () => {
    // Friday the 13th at 02:00 in Paris; cron-parser would also fire on every Friday and every 13th.
    const spec = {
      id: 'daemon.scan',
      queue: 'scan' as const,
      pattern: '0 2 13 * 5',
      tz: 'Europe/Paris',
      name: 'scan',
      data: { kind: 'scheduled', job: 'scan', inventoryFile: '/nowhere/vigie.yml' },
    };
    await syncJobSchedulers(connection, ['scan'], [spec], { managedPrefix: 'daemon.', nextRun: cronNextRun });
    const next = (await listJobSchedulers(connection, ['scan'])).find((s) => s.id === 'daemon.scan')?.next;
    expect(next).toBeDefined();
    const at = new Date(next!);
    expect(at.toLocaleString('fr-FR', { timeZone: 'Europe/Paris', weekday: 'long', day: 'numeric' })).toMatch(
      /^vendredi 13$/,
    );
    expect(next).toBe(cronNextRun(spec.pattern, Date.now(), spec.tz));
    await dropSchedulers();
  }, 30_000);

  it('two daemons schedule a scan every 3 s: each occurrence is one distributed run on the workers', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const env = { ...FAST, VIGIE_DATA_DIR: dataDir };
    const host = await resetServer('127.0.0.12');
    const [hostName = '', port = '0'] = host.target.split(':');
    // A domain too: a scheduled run has its domains job, as `scan --distributed` has.
    const dns = await startDnsServer({
      host: '127.0.0.13',
      records: [
        { name: DOMAIN, type: 'SOA', data: { mname: `ns1.${DOMAIN}`, rname: `hostmaster.${DOMAIN}` } },
        { name: DOMAIN, type: 'NS', data: `ns1.${DOMAIN}` },
        { name: DOMAIN, type: 'TXT', data: 'v=spf1 ip4:192.0.2.0/24 +all' },
      ],
    });
    onTestFinished(() => dns.close());
    const inventory = writeInventory(dir, {
      host: hostName,
      port: Number(port),
      scan: '*/3 * * * * *',
      domain: DOMAIN,
      resolver: dns.address,
    });
    const worker = await startWorker(env, ['--queues', 'scan,notify', '--concurrency', '2']);
    const a = await startDaemon(env, inventory);
    const b = await startDaemon(env, inventory);
    // Both caught up the never-run scan under the same id: one catch-up job.
    const enqueued = [a, b].map(
      (d) => (d.lines().find((l) => l['event'] === 'catch-up')?.['enqueued'] as string[] | undefined) ?? [],
    );
    expect(enqueued.flat()).toEqual(['daemon.scan']);
    expect(b.lines().find((l) => l['event'] === 'schedules.synced')).toMatchObject({
      added: [],
      kept: ['daemon.scan', 'daemon.discovery'],
    });
    const finishedRuns = async () => {
      const s = store(dataDir);
      try {
        return (await s.runs.list()).map((r) => r.id);
      } finally {
        await s.close();
      }
    };
    await until(
      'four runs are closed',
      async () => ((await finishedRuns()).length >= 4 ? true : undefined),
      90_000,
    );
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    await dropSchedulers();
    await until(
      'every job has ended',
      async () => ((await pendingJobs(connection)) === 0 ? true : undefined),
      90_000,
    );
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);

    const runs = await finishedRuns();
    // A scheduled run is named after its occurrence: fire time, and the hash of `repeat:daemon.scan:<ms>`.
    const occurrence = (id: string): number | undefined => {
      const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z-([0-9a-f]{4})$/.exec(id);
      if (!m) return undefined;
      const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
      const hash = createHash('sha256').update(occurrenceJobId('daemon.scan', ms)).digest('hex').slice(0, 4);
      return hash === m[7] ? ms : undefined;
    };
    const scheduled = runs
      .map(occurrence)
      .filter((ms): ms is number => ms !== undefined)
      .sort((x, y) => x - y);
    // Besides them, only the one catch-up run.
    expect(runs.length - scheduled.length).toBe(1);
    expect(scheduled.length).toBeGreaterThanOrEqual(3);
    // On the 3 s grid, and each occurrence once: the runs are exactly the occurrences the schedulers
    // fired (a job taken late makes the scheduler skip the occurrences already past, never double one).
    for (const ms of scheduled) expect(ms % 3000).toBe(0);
    expect(new Set(scheduled).size).toBe(scheduled.length);
    const fired = (await endedJobIds(connection, 'scan', 'scan'))
      .map((id) => /^repeat:daemon\.scan:(\d+)$/.exec(id)?.[1])
      .filter((ms): ms is string => ms !== undefined)
      .map(Number)
      .sort((x, y) => x - y);
    expect(scheduled).toEqual(fired);
    const s = store(dataDir);
    try {
      const detail = await s.runs.get(runs[0]!);
      expect(detail?.endpoints.map((e) => `${e.host}:${e.port}`).sort()).toEqual(
        [`${DOMAIN}:53`, host.target].sort(),
      );
      expect(detail?.findings.map((f) => `${f.checkId} ${f.host}`)).toContain(
        `mail.spf.permissive ${DOMAIN}`,
      );
      const job = (await s.daemon.listJobs()).find((j) => j.job === 'scan');
      expect(job?.lastOutcome).toBe('ok');
      expect(job?.lastDetail).toMatch(/mail non configuré/);
    } finally {
      await s.close();
    }
  }, 240_000);

  it.each(['sqlite', 'postgres'] as const)(
    'a digest occurrence enqueued twice, and once more under another fire time of the week, sends one mail (two workers, %s)',
    async (backend) => {
      const dir = tempDir();
      const dataDir = path.join(dir, 'data');
      const shared = await sharedStore(backend, dataDir);
      // A lock long enough that a loaded machine never hands a live attempt to the other worker:
      // which job says "envoyé" is asserted below (a stall would make the retry say "déjà envoyé").
      const env = { ...FAST, VIGIE_QUEUE_LOCK_MS: '15000', VIGIE_DATA_DIR: dataDir, ...shared.env };
      const smtp = await smtpSink();
      const inventory = writeInventory(dir, { smtpPort: smtp.port });
      const settings = queueSettings(env);
      const digest = daemonSchedules(loadConfig(inventory), inventory).find((s) => s.id === 'daemon.digest')!;
      const firedAt = new Date(Date.now() - 1000);
      // Two daemons catching up the same occurrence.
      expect(await enqueueOccurrence(settings, digest, firedAt)).toBe(true);
      expect(await enqueueOccurrence(settings, digest, firedAt)).toBe(false);
      // Another occurrence of the same week (the outbox key is the week's).
      const other = new Date(firedAt.getTime() - 1000);
      expect(await enqueueOccurrence(settings, digest, other)).toBe(true);
      const workers = await Promise.all([
        startWorker(env, ['--queues', 'notify']),
        startWorker(env, ['--queues', 'notify']),
      ]);
      const ids = [firedAt, other].map((d) => occurrenceJobId('daemon.digest', d.getTime()));
      const ended = await until(
        'both digest jobs have ended',
        async () => {
          const states = await Promise.all(ids.map((id) => jobState(connection, 'notify', id)));
          return states.every((s) => s?.state === 'completed') ? states : undefined;
        },
        90_000,
      );
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]?.subject).toMatch(/^\[vigie\] Semaine \d+/);
      const details = ended.map((s) => (s?.returnValue as { outcome: string; detail: string }).detail);
      // One sent it; the other found it sent, or the lease held by the first (skipped).
      expect(
        details.filter((d) => / : envoyé$/.test(d)),
        details.join(' | '),
      ).toHaveLength(1);
      const s = await shared.open();
      try {
        const sent = await s.outbox.list({ kind: 'digest' });
        expect(sent.map((e) => e.state)).toEqual(['sent']);
      } finally {
        await s.close();
      }
      for (const w of workers) w.child.kill('SIGTERM');
      for (const w of workers) expect(await w.exited).toBe(0);
    },
    120_000,
  );

  it('a digest job whose worker is killed mid-send is taken again by another worker: one mail', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    // The claim of the dead worker's send expires after 4 s; the job's retries (1, 2, 4, 8 s) outlast it.
    const env = { ...FAST, VIGIE_DATA_DIR: dataDir, VIGIE_MAIL_CLAIM_MS: '4000' };
    const smtp = await smtpSink({ holdFirst: true });
    const inventory = writeInventory(dir, { smtpPort: smtp.port });
    const settings = queueSettings(env);
    const digest = daemonSchedules(loadConfig(inventory), inventory).find((s) => s.id === 'daemon.digest')!;
    const firedAt = new Date(Date.now() - 1000);
    const id = occurrenceJobId('daemon.digest', firedAt.getTime());
    const first = await startWorker(env, ['--queues', 'notify']);
    expect(await enqueueOccurrence(settings, digest, firedAt)).toBe(true);
    // The first worker has claimed the mail and connects to the relay, which keeps it waiting.
    await until(
      'the first worker is sending',
      async () => (smtp.connections() >= 1 ? true : undefined),
      60_000,
    );
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    const s0 = store(dataDir);
    try {
      expect((await s0.outbox.list({ kind: 'digest' })).map((e) => e.state)).toEqual(['pending']);
    } finally {
      await s0.close();
    }
    const second = await startWorker(env, ['--queues', 'notify']);
    const ended = await until(
      'the digest job has ended',
      async () => {
        const state = await jobState(connection, 'notify', id);
        return state?.state === 'completed' || state?.state === 'failed' ? state : undefined;
      },
      90_000,
    );
    expect(ended.state).toBe('completed');
    expect(ended.attemptsStarted).toBeGreaterThanOrEqual(2);
    expect(smtp.received).toHaveLength(1);
    const s = store(dataDir);
    try {
      const entries = await s.outbox.list({ kind: 'digest' });
      expect(entries.map((e) => e.state)).toEqual(['sent']);
    } finally {
      await s.close();
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 150_000);
});
