import pg from 'pg';
import { msg } from '../../i18n/index.js';
import { redactUrl, toPgStorageError } from './pg-database.js';

/** The roles and schema of one organisation in a shared PostgreSQL database. */
export interface OrganisationAccess {
  schema: string;
  /** USAGE on the schema, SELECT on its tables (those to come too). */
  reader: string;
  /** The reader's rights, and INSERT, UPDATE, DELETE on the tables and their sequences. */
  writer: string;
  /** Group roles (`vigie_group_<group>_reader`) the reader is a member of. */
  groupReaders: string[];
}

export interface OrganisationAccessRequest {
  /** The organisation's id (lower-case letters, digits, hyphens). */
  id: string;
  /** Its schema (`org_<id>`). */
  schema: string;
  /** Groups whose consolidated reader role gets this organisation's reader. */
  groups: readonly string[];
}

const ROLE = /^[a-z0-9_-]{1,63}$/;
const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** A role or schema name, double-quoted (names are checked first: only a-z, 0-9, _ and -). */
function quoted(name: string, pattern: RegExp): string {
  if (!pattern.test(name)) throw new Error(`bad identifier: ${name}`);
  return `"${name}"`;
}

export const readerRole = (id: string): string => `vigie_${id}_reader`;
export const writerRole = (id: string): string => `vigie_${id}_writer`;
export const groupReaderRole = (group: string): string => `vigie_group_${group}_reader`;

async function ensureRole(client: pg.Client, role: string): Promise<void> {
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (exists.rowCount === 0) await client.query(`CREATE ROLE ${quoted(role, ROLE)} NOLOGIN`);
}

/**
 * Creates (or brings up to date) an organisation's schema and its two roles, in one transaction:
 * the schema's privileges are taken from PUBLIC, the reader gets USAGE and SELECT (and the same on
 * tables created later by this role, through default privileges), the writer the reader's rights
 * and INSERT, UPDATE, DELETE. Nothing is granted on any other schema: PostgreSQL itself refuses a
 * reader of one organisation the tables of another. The reader is made a member of the reader role
 * of each of its groups, and of no other group. Runs as a role that may create roles and schemas.
 */
export async function grantOrganisationAccess(
  url: string,
  req: OrganisationAccessRequest,
): Promise<OrganisationAccess> {
  const schema = quoted(req.schema, SCHEMA);
  const reader = readerRole(req.id);
  const writer = writerRole(req.id);
  const r = quoted(reader, ROLE);
  const w = quoted(writer, ROLE);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  const what = msg('orgs.pg.what', { id: req.id });
  try {
    await client.connect();
  } catch (error) {
    throw toPgStorageError(error, what, redactUrl(url));
  }
  try {
    await client.query('BEGIN');
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC`);
    await ensureRole(client, reader);
    await ensureRole(client, writer);
    await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${r}, ${w}`);
    await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${r}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${w}`);
    await client.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${w}`);
    await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${r}`);
    await client.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${w}`,
    );
    await client.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${w}`,
    );
    const wanted = req.groups.map(groupReaderRole);
    for (const group of wanted) {
      await ensureRole(client, group);
      await client.query(`GRANT ${r} TO ${quoted(group, ROLE)}`);
    }
    // Groups the organisation left: their reader role no longer includes this one.
    const members = await client.query<{ rolname: string }>(
      `SELECT g.rolname FROM pg_auth_members m
         JOIN pg_roles g ON g.oid = m.member JOIN pg_roles o ON o.oid = m.roleid
        WHERE o.rolname = $1 AND g.rolname LIKE 'vigie\\_group\\_%\\_reader'`,
      [reader],
    );
    for (const { rolname } of members.rows) {
      if (!wanted.includes(rolname)) await client.query(`REVOKE ${r} FROM ${quoted(rolname, ROLE)}`);
    }
    await client.query('COMMIT');
    return { schema: req.schema, reader, writer, groupReaders: wanted };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw toPgStorageError(error, what, redactUrl(url));
  } finally {
    await client.end().catch(() => undefined);
  }
}
