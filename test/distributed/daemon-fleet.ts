import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Queue } from 'bullmq';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { onTestFinished } from 'vitest';
import { QUEUE_NAMES, type QueueConnection } from '../../src/queue/index.js';
import { until } from './fleet.js';

const BIN = new URL('../../bin/dev.js', import.meta.url).pathname;

/** A `vigie daemon --distributed` process, its JSON log lines and its exit. */
export interface DaemonProcess {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  lines: () => Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `vigie daemon --distributed -i <inventory>` and waits (bounded) for `daemon.started`. */
export async function startDaemon(env: Record<string, string>, inventory: string): Promise<DaemonProcess> {
  const child = spawn(process.execPath, [BIN, 'daemon', '--distributed', '-i', inventory], {
    env: { ...process.env, VIGIE_LANG: 'fr', FORCE_COLOR: '0', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  onTestFinished(() => void child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = () =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  await until(
    'the daemon has started',
    async () => {
      if (gone !== undefined) throw new Error(`daemon exited ${gone}:\n${stderr}\n${stdout}`);
      return lines().some((l) => l['event'] === 'daemon.started') ? true : undefined;
    },
    60_000,
  );
  return { child, pid: child.pid!, lines, stderr: () => stderr, exited };
}

/** Jobs not ended yet in every queue of the prefix (waiting, delayed, active, waiting for children). */
export async function pendingJobs(c: QueueConnection): Promise<number> {
  let n = 0;
  for (const name of QUEUE_NAMES) {
    const q = new Queue(name, { connection: { url: c.url }, prefix: c.prefix ?? 'vigie' });
    try {
      const counts = await q.getJobCounts('waiting', 'delayed', 'active', 'waiting-children', 'prioritized');
      n += Object.values(counts).reduce((a, b) => a + b, 0);
    } finally {
      await q.close();
    }
  }
  return n;
}

/** Where a job stands, and what it returned. */
export async function jobState(
  c: QueueConnection,
  queue: string,
  id: string,
): Promise<{ state: string; returnValue: unknown; attemptsStarted: number } | undefined> {
  const q = new Queue(queue, { connection: { url: c.url }, prefix: c.prefix ?? 'vigie' });
  try {
    // The state first: once it says completed, the job's hash holds its return value (the job read
    // first, then its state, could pair a completion with the value read just before it).
    const state = await q.getJobState(id);
    const job = await q.getJob(id);
    if (!job) return undefined;
    return {
      state,
      returnValue: job.returnvalue as unknown,
      attemptsStarted: job.attemptsStarted,
    };
  } finally {
    await q.close();
  }
}

export interface SmtpSink {
  port: number;
  received: ParsedMail[];
  /** Connections opened (held ones included). */
  connections: () => number;
}

/**
 * A plain SMTP server on the loopback (no STARTTLS, `mail.allowPlaintextLoopback`). `holdFirst`:
 * the first connection never gets its greeting (a send cut short by the death of its process);
 * a mail counts once the server has it whole.
 */
export async function smtpSink(opts: { holdFirst?: boolean } = {}): Promise<SmtpSink> {
  const received: ParsedMail[] = [];
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onConnect(_session, cb) {
      connections += 1;
      if (opts.holdFirst && connections === 1) return;
      cb();
    },
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((m) => {
          received.push(m);
          cb();
        })
        .catch(cb);
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  );
  return { port, received, connections: () => connections };
}

/** Ids of the ended jobs of `queue` named `name` (completed or failed, still kept in Redis). */
export async function endedJobIds(c: QueueConnection, queue: string, name: string): Promise<string[]> {
  const q = new Queue(queue, { connection: { url: c.url }, prefix: c.prefix ?? 'vigie' });
  try {
    const jobs = await q.getJobs(['completed', 'failed'], 0, -1);
    return jobs.filter((j) => j.name === name).map((j) => j.id ?? '');
  } finally {
    await q.close();
  }
}
