import pg from 'pg';
import { StorageError, VigieError } from '../../domain/index.js';
import { msg, type CatalogueText } from '../../i18n/index.js';
import { redactUrl } from '../store-location.js';

/** One statement runner: on the pool (reads) or on the client of a transaction (writes). */
export interface PgQuery {
  /** Every row of a statement (`$1`, `$2`… parameters). */
  rows<R extends object>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** The first row, or undefined. */
  one<R extends object>(sql: string, params?: readonly unknown[]): Promise<R | undefined>;
  /** Runs a statement; returns the number of rows it touched. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

export interface PgConnectOptions {
  /** Schema the tables live in (created if missing); default `vigie`. Tests use their own. */
  schema?: string;
  /** Connections in the pool (default 4). */
  max?: number;
  /** Connection timeout in milliseconds (default 5000). */
  connectTimeoutMs?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export { redactUrl };

/** What the user can do about a PostgreSQL or network error code. */
export function pgStorageHint(code: string | undefined): CatalogueText {
  const c = code ?? '';
  if (c === 'ECONNREFUSED' || c === 'ENOTFOUND' || c === 'EAI_AGAIN' || c === 'ETIMEDOUT')
    return msg('pgstore.hint.unreachable');
  if (c === '28P01' || c === '28000') return msg('pgstore.hint.auth');
  if (c === '3D000') return msg('pgstore.hint.no-database');
  if (c.startsWith('08') || c === 'ECONNRESET' || c === '57P01') return msg('pgstore.hint.lost');
  if (c === '23505' || c === '23503' || c.startsWith('23')) return msg('errlang.store.hint.constraint');
  if (c === '40001' || c === '40P01') return msg('pgstore.hint.conflict');
  return msg('pgstore.hint.other');
}

function codeOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** A low-level failure as a StorageError naming what failed, on which database, with a hint. */
export function toPgStorageError(error: unknown, what: string | CatalogueText, label: string): VigieError {
  if (error instanceof VigieError) return error;
  const code = codeOf(error);
  const params = {
    file: label,
    reason: error instanceof Error ? error.message : String(error),
    code: code ?? '',
  };
  const key = code === undefined ? 'errlang.store.failed' : 'errlang.store.failed-code';
  const text = typeof what === 'string' ? msg(key, { ...params, what }) : msg(key, params, { what });
  return new StorageError(text, { cause: error, hint: pgStorageHint(code ?? driverCodeOf(params.reason)) });
}

/**
 * The driver reports a connection that timed out or was cut without a code: the code its hint is
 * chosen by (a connection lost mid-transaction is then « lost », not « see the message »).
 */
function driverCodeOf(reason: string): string | undefined {
  if (/timeout/i.test(reason)) return 'ETIMEDOUT';
  if (/Connection terminated|not queryable/i.test(reason)) return 'ECONNRESET';
  return undefined;
}

/**
 * A parameter as PostgreSQL can store it: its text cannot hold U+0000 (SQLite's can), which a probe
 * may bring back from a server (a header, a cookie name): it becomes U+FFFD, and the run is saved.
 */
function storable(value: unknown): unknown {
  if (typeof value === 'string')
    return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
  if (Array.isArray(value)) return value.map(storable);
  return value;
}

function runnerOn(client: pg.Pool | pg.PoolClient): PgQuery {
  return {
    async rows<R extends object>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
      const r = await client.query<R>(sql, params.map(storable));
      return r.rows;
    },
    async one<R extends object>(sql: string, params: readonly unknown[] = []): Promise<R | undefined> {
      const r = await client.query<R>(sql, params.map(storable));
      return r.rows[0];
    },
    async run(sql: string, params: readonly unknown[] = []): Promise<number> {
      const r = await client.query(sql, params.map(storable));
      return r.rowCount ?? 0;
    },
  };
}

/**
 * The one PostgreSQL pool the repositories share, with the one error guard (as SqliteDatabase for
 * SQLite): any low-level failure becomes a StorageError naming the database (password hidden) and
 * what to do. Tables live in one schema, put first on every connection's search_path.
 */
export class PgDatabase {
  private constructor(
    readonly pool: pg.Pool,
    readonly schema: string,
    /** The URL with its password hidden: what messages name. */
    readonly label: string,
  ) {}

  static async connect(url: string, options: PgConnectOptions = {}): Promise<PgDatabase> {
    const schema = options.schema ?? 'vigie';
    const label = redactUrl(url);
    if (!SCHEMA_NAME.test(schema)) {
      throw new StorageError(msg('pgstore.bad-schema', { schema }), { hint: msg('pgstore.bad-schema.hint') });
    }
    let pool: pg.Pool;
    try {
      pool = new pg.Pool({
        connectionString: url,
        max: options.max ?? 4,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
        options: `-c search_path=${schema}`,
      });
    } catch (error) {
      throw toPgStorageError(error, msg('errlang.store.open'), label);
    }
    // An idle client losing its connection must not crash the process: the next query fails instead.
    pool.on('error', () => undefined);
    const db = new PgDatabase(pool, schema, label);
    try {
      // One statement, one transaction: under a lock (two processes starting at once would both try
      // to create it, and the second fail), and only when missing (CREATE needs a privilege that a
      // user of an existing schema may not have). `schema` is checked above: safe in the text.
      await pool.query(
        `DO $$ BEGIN
           PERFORM pg_advisory_xact_lock(hashtextextended('vigie.schema:${schema}', 0));
           IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '${schema}') THEN
             CREATE SCHEMA ${schema};
           END IF;
         END $$`,
      );
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw toPgStorageError(error, msg('errlang.store.open'), label);
    }
    return db;
  }

  /** Runs `fn` in one transaction on one connection (SERIALIZABLE is not needed: rows are locked). */
  async write<T>(what: string | CatalogueText, fn: (q: PgQuery) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toPgStorageError(error, what, this.label);
    }
    // A connection lost between two statements is reported by the client as an 'error' event, which
    // the pool listens to only while the client is idle: unheard, it would end the process. The
    // statement that follows fails instead, and the transaction with it.
    const onLost = (): void => undefined;
    client.on('error', onLost);
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn(runnerOn(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      broken = !(await client.query('ROLLBACK').then(
        () => true,
        () => false,
      ));
      throw toPgStorageError(error, what, this.label);
    } finally {
      client.removeListener('error', onLost);
      // A client that cannot even roll back is dropped, not given to the next caller.
      client.release(broken);
    }
  }

  /** Runs reads on the pool. */
  async read<T>(what: string | CatalogueText, fn: (q: PgQuery) => Promise<T>): Promise<T> {
    try {
      return await fn(runnerOn(this.pool));
    } catch (error) {
      throw toPgStorageError(error, what, this.label);
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
