import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import OrgAddCommand from '../../src/commands/org/add.js';
import { runCommand } from '../helpers/run-command.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationSchema } from '../../src/domain/organisation.js';
import { grantOrganisationAccess } from '../../src/store/index.js';

/**
 * Isolation between organisations in one PostgreSQL database, proved by PostgreSQL itself: a login
 * role granted one organisation's reader role reads that organisation's findings and is refused
 * the other's, whatever query it writes.
 */
const BASE = process.env['VIGIE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const tag = `iso${process.pid.toString(36)}${Date.now().toString(36)}`;
const A = `${tag}-a`;
const B = `${tag}-b`;
const C = `${tag}-c`;
const GROUP = tag;
const login = (who: string) => `t_${tag}_${who}`;
const LOGINS = ['a', 'b', 'group', 'writer'].map(login);

let admin: pg.Client;

async function connectAs(user: string): Promise<pg.Client> {
  const url = new URL(BASE);
  url.username = user;
  url.password = 'secret-of-the-test';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  return client;
}

/** The rows a role reads, or the error code PostgreSQL answers (42501: permission denied). */
async function attempt(client: pg.Client, sql: string): Promise<{ rows: unknown[] } | { code: string }> {
  try {
    return { rows: (await client.query(sql)).rows };
  } catch (error) {
    return { code: String((error as { code?: unknown }).code) };
  }
}

beforeAll(async () => {
  admin = new pg.Client({ connectionString: BASE, connectionTimeoutMillis: 5000 });
  await admin.connect();
  // A table that exists before the roles (granted by GRANT … ON ALL TABLES).
  await admin.query(`CREATE SCHEMA ${organisationSchema(A)}`);
  await admin.query(`CREATE TABLE ${organisationSchema(A)}.runs (id text)`);
  await admin.query(`INSERT INTO ${organisationSchema(A)}.runs VALUES ('run-a')`);
  for (const id of [A, B])
    await grantOrganisationAccess(BASE, { id, schema: organisationSchema(id), groups: [GROUP] });
  // Tables created after (granted by the default privileges), one finding in each.
  for (const id of [A, B]) {
    await admin.query(`CREATE TABLE ${organisationSchema(id)}.findings (fingerprint text, title text)`);
    await admin.query(`INSERT INTO ${organisationSchema(id)}.findings VALUES ($1, $2)`, [
      `fp-${id}`,
      `finding of ${id}`,
    ]);
  }
  const role = (r: string) => `"${r}"`;
  await admin.query(
    `CREATE ROLE ${login('a')} LOGIN PASSWORD 'secret-of-the-test' IN ROLE ${role(`vigie_${A}_reader`)}`,
  );
  await admin.query(
    `CREATE ROLE ${login('b')} LOGIN PASSWORD 'secret-of-the-test' IN ROLE ${role(`vigie_${B}_reader`)}`,
  );
  await admin.query(
    `CREATE ROLE ${login('group')} LOGIN PASSWORD 'secret-of-the-test' IN ROLE ${role(`vigie_group_${GROUP}_reader`)}`,
  );
  await admin.query(
    `CREATE ROLE ${login('writer')} LOGIN PASSWORD 'secret-of-the-test' IN ROLE ${role(`vigie_${A}_writer`)}`,
  );
}, 30_000);

afterAll(async () => {
  for (const id of [A, B, C]) await admin.query(`DROP SCHEMA IF EXISTS ${organisationSchema(id)} CASCADE`);
  const roles = [
    ...LOGINS,
    `vigie_${A}_reader`,
    `vigie_${A}_writer`,
    `vigie_${B}_reader`,
    `vigie_${B}_writer`,
    `vigie_${C}_reader`,
    `vigie_${C}_writer`,
    `vigie_group_${GROUP}_reader`,
  ];
  for (const r of roles) {
    const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [r]);
    if (exists.rowCount === 0) continue;
    await admin.query(`DROP OWNED BY "${r}"`);
    await admin.query(`DROP ROLE "${r}"`);
  }
  await admin.end();
}, 30_000);

describe('one organisation’s reader role on a shared PostgreSQL database', { timeout: 30_000 }, () => {
  it('reads its own findings and is refused the other organisation’s', async () => {
    const client = await connectAs(login('a'));
    try {
      const { user } = (await client.query<{ user: string }>('SELECT current_user AS user')).rows[0]!;
      expect(user).toBe(login('a'));
      expect(await attempt(client, `SELECT title FROM ${organisationSchema(A)}.findings`)).toEqual({
        rows: [{ title: `finding of ${A}` }],
      });
      expect(await attempt(client, `SELECT id FROM ${organisationSchema(A)}.runs`)).toEqual({
        rows: [{ id: 'run-a' }],
      });
      // The other commune's table exists; PostgreSQL refuses it, without a WHERE to forget.
      expect(await attempt(client, `SELECT title FROM ${organisationSchema(B)}.findings`)).toEqual({
        code: '42501',
      });
      // Read only: its own findings cannot be changed.
      expect(
        await attempt(client, `INSERT INTO ${organisationSchema(A)}.findings VALUES ('x', 'y')`),
      ).toEqual({ code: '42501' });
    } finally {
      await client.end();
    }
    const other = await connectAs(login('b'));
    try {
      expect(await attempt(other, `SELECT title FROM ${organisationSchema(B)}.findings`)).toEqual({
        rows: [{ title: `finding of ${B}` }],
      });
      expect(await attempt(other, `SELECT title FROM ${organisationSchema(A)}.findings`)).toEqual({
        code: '42501',
      });
    } finally {
      await other.end();
    }
  });

  it('lets the writer write its own organisation only, and the group reader read its members', async () => {
    const writer = await connectAs(login('writer'));
    try {
      expect(
        await attempt(writer, `INSERT INTO ${organisationSchema(A)}.findings VALUES ('fp-2', 'second')`),
      ).toEqual({ rows: [] });
      expect(
        await attempt(writer, `SELECT count(*)::int AS n FROM ${organisationSchema(B)}.findings`),
      ).toEqual({
        code: '42501',
      });
    } finally {
      await writer.end();
    }
    const group = await connectAs(login('group'));
    try {
      for (const id of [A, B]) {
        const read = await attempt(
          group,
          `SELECT count(*)::int AS n FROM ${organisationSchema(id)}.findings`,
        );
        expect(read).toEqual({ rows: [{ n: id === A ? 2 : 1 }] });
      }
    } finally {
      await group.end();
    }
    // Commune B leaves the group: the group's reader no longer reads it.
    await grantOrganisationAccess(BASE, { id: B, schema: organisationSchema(B), groups: [] });
    const after = await connectAs(login('group'));
    try {
      expect(await attempt(after, `SELECT 1 FROM ${organisationSchema(B)}.findings`)).toEqual({
        code: '42501',
      });
      expect(
        await attempt(after, `SELECT count(*)::int AS n FROM ${organisationSchema(A)}.findings`),
      ).toEqual({
        rows: [{ n: 2 }],
      });
    } finally {
      await after.end();
    }
  });

  it('grants nothing to PUBLIC on an organisation’s schema', async () => {
    const r = await admin.query<{ public: boolean }>(
      `SELECT has_schema_privilege('public', $1, 'USAGE') AS public`,
      [organisationSchema(A)],
    );
    expect(r.rows[0]?.public).toBe(false);
  });

  it('vigie org add on a PostgreSQL store creates the schema and the roles', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-org-pg-'));
    try {
      fs.writeFileSync(path.join(dir, 'c.yml'), 'organisation: { name: Commune C }\nassets: []\n');
      const r = await runCommand(OrgAddCommand, [C, '-i', path.join(dir, 'c.yml'), '--json'], {
        VIGIE_DATA_DIR: path.join(dir, 'data'),
        VIGIE_DATABASE_URL: BASE,
        VIGIE_ORG: undefined,
      });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.json<{ postgres: unknown }>().postgres).toEqual({
        schema: organisationSchema(C),
        reader: `vigie_${C}_reader`,
        writer: `vigie_${C}_writer`,
        groupReaders: [],
      });
      const roles = await admin.query<{ rolname: string }>(
        'SELECT rolname FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname',
        [[`vigie_${C}_reader`, `vigie_${C}_writer`]],
      );
      expect(roles.rows.map((x) => x.rolname)).toEqual([`vigie_${C}_reader`, `vigie_${C}_writer`]);
      const usage = await admin.query<{ a: boolean; c: boolean }>(
        `SELECT has_schema_privilege($1, $2, 'USAGE') AS a, has_schema_privilege($1, $3, 'USAGE') AS c`,
        [`vigie_${C}_reader`, organisationSchema(A), organisationSchema(C)],
      );
      expect(usage.rows[0]).toEqual({ a: false, c: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
