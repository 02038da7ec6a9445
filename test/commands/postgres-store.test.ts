import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import FindingsListCommand from '../../src/commands/findings/list.js';
import ReportCommand from '../../src/commands/report/index.js';
import ScanCommand from '../../src/commands/scan.js';
import StoreCopyCommand from '../../src/commands/store/copy.js';
import StoreMigrateCommand from '../../src/commands/store/migrate.js';
import type { PostureReport } from '../../src/domain/index.js';
import { runCommand } from '../helpers/run-command.js';
import { createTestPki, daysFromNow, TEST_HOST } from '../helpers/test-pki.js';
import { startTlsServer, type LoopbackServer } from '../helpers/tls-server.js';

const PG_URL = process.env['VIGIE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `t_cmd_pg_${process.pid}_${Date.now().toString(36)}`;
const COPY_SCHEMA = `${SCHEMA}_copy`;
const url = (schema = SCHEMA) => `${PG_URL}?schema=${schema}`;

let dir = '';
let server: LoopbackServer;
let inventory = '';
const data = () => path.join(dir, 'data');
const env = (extra: Record<string, string | undefined> = {}) => ({
  VIGIE_DATA_DIR: data(),
  VIGIE_LANG: undefined,
  VIGIE_ORG: undefined,
  VIGIE_DATABASE_URL: url(),
  ...extra,
});

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A port of 127.0.0.1 that was bound then closed: nothing listens there. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  const pki = await createTestPki();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-cmd-pg-'));
  server = await startTlsServer({
    cert: await pki.leaf({ notAfter: daysFromNow(12) }),
    chain: [pki.intermediate],
  });
  fs.writeFileSync(path.join(dir, 'racine.pem'), pki.root.certPem);
  inventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventory,
    `organisation: { name: Commune PG }
trust: { caFiles: [racine.pem] }
assets:
  - { id: portail, name: Portail, owner: DSI, criticality: high, hosts: [{ name: ${TEST_HOST}, address: 127.0.0.1 }], ports: [${server.port}] }
`,
  );
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
  await admin(async (c) => {
    for (const s of [SCHEMA, COPY_SCHEMA]) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  });
});

describe('every command on a PostgreSQL store (VIGIE_DATABASE_URL)', () => {
  it('scans, lists and reports from PostgreSQL, and writes no SQLite database', async () => {
    const migrate = await runCommand(StoreMigrateCommand, ['--lang', 'en'], env());
    expect(migrate.exitCode, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain(`postgres database at the current schema`);
    const scan = await runCommand(ScanCommand, ['-i', inventory, '--json'], env());
    expect(scan.exitCode, scan.stderr).toBe(0);
    const listed = await runCommand(FindingsListCommand, ['-i', inventory, '--json'], env());
    expect(listed.exitCode, listed.stderr).toBe(0);
    const findings = listed.json<{ findings: { checkId: string; port: number }[] }>().findings;
    expect(findings.some((f) => f.checkId === 'tls.cert.expiring' && f.port === server.port)).toBe(true);
    const report = await runCommand(ReportCommand, ['-i', inventory, '--json'], env());
    expect(report.json<PostureReport>().expiringCertificates[0]).toMatchObject({ port: server.port });
    // The rows are in PostgreSQL, and the data directory holds no vigie.db.
    const runs = await admin(
      async (c) => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${SCHEMA}.runs`)).rows[0],
    );
    expect(runs).toEqual({ n: 1 });
    expect(fs.existsSync(path.join(data(), 'vigie.db'))).toBe(false);
  });

  it('copies the PostgreSQL history to an empty schema, with counts and checksums', async () => {
    const r = await runCommand(
      StoreCopyCommand,
      ['--from', url(), '--to', url(COPY_SCHEMA), '--json'],
      env(),
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const result = r.json<{ rows: number; tables: { table: string; rows: number; checksum: string }[] }>();
    expect(result.tables.find((t) => t.table === 'runs')?.rows).toBe(1);
    expect(result.rows).toBeGreaterThan(1);
    const again = await runCommand(StoreCopyCommand, ['--from', url(), '--to', url(COPY_SCHEMA)], env());
    expect(again.exitCode).toBe(4);
    expect(again.stderr).toMatch(/n’est pas vide|not empty/);
  });

  it('says clearly, with exit 4 and no password, when PostgreSQL cannot be reached', async () => {
    const port = await closedPort();
    const r = await runCommand(
      FindingsListCommand,
      ['-i', inventory, '--lang', 'en'],
      env({ VIGIE_DATABASE_URL: `postgres://vigie:s3cret@127.0.0.1:${port}/vigie` }),
    );
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/PostgreSQL does not answer/);
    expect(r.stderr).not.toContain('s3cret');
    expect(r.stdout + r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('says which variable is wrong when VIGIE_DATABASE_URL is not a postgres:// address (exit 4)', async () => {
    for (const bad of ['mysql://vigie:s3cret@db/vigie', 'postgres://vigie:s3cret@[db/vigie']) {
      const r = await runCommand(
        FindingsListCommand,
        ['-i', inventory, '--lang', 'en'],
        env({ VIGIE_DATABASE_URL: bad }),
      );
      expect(r.exitCode).toBe(4);
      expect(r.stderr).toMatch(
        /VIGIE_DATABASE_URL \(or store\.url\) is not a readable postgres:\/\/ address/,
      );
      expect(r.stderr).not.toContain('s3cret');
    }
  });

  it('refuses a database written by a newer vigie, unchanged, exit 4', async () => {
    await admin((c) => c.query(`UPDATE ${SCHEMA}.vigie_schema SET version = version + 100`));
    try {
      const r = await runCommand(FindingsListCommand, ['-i', inventory, '--lang', 'en'], env());
      expect(r.exitCode).toBe(4);
      expect(r.stderr).toMatch(/newer/);
    } finally {
      await admin((c) => c.query(`UPDATE ${SCHEMA}.vigie_schema SET version = version - 100`));
    }
  });

  it('refuses a password written in store.url of vigie.yml (exit 3), naming the line', async () => {
    const file = path.join(dir, 'with-password.yml');
    fs.writeFileSync(
      file,
      `${fs.readFileSync(inventory, 'utf8')}store:\n  url: postgres://vigie:s3cret@db.example/vigie\n`,
    );
    const r = await runCommand(
      ScanCommand,
      ['-i', file, '--lang', 'en'],
      env({ VIGIE_DATABASE_URL: undefined }),
    );
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/no password in vigie\.yml/);
    expect(r.stderr).not.toContain('s3cret');
  });
});
