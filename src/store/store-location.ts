import path from 'node:path';
import { UsageError } from '../domain/index.js';
import { msg } from '../i18n/index.js';

/** Where a store lives: a data directory (SQLite, `vigie.db` in it) or a PostgreSQL database. */
export type StoreLocation =
  | { kind: 'sqlite'; dataDir: string }
  | {
      kind: 'postgres';
      /** Connection URL without vigie's own `schema` parameter (may hold a password: never print it). */
      url: string;
      /** Schema the tables live in (`?schema=` of the URL; default `vigie`). */
      schema: string;
    };

const SCHEMA_PARAM = 'schema';

/** Whether a text is a PostgreSQL connection URL. */
export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text);
}

/**
 * A PostgreSQL URL as vigie reads it: its `schema` query parameter (vigie's, not libpq's) is taken
 * out and becomes the schema; the rest goes to the driver unchanged.
 */
export function postgresLocation(url: string): StoreLocation & { kind: 'postgres' } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(msg('storecopy.bad-url'), { hint: msg('storecopy.bad-url.hint') });
  }
  const schema = parsed.searchParams.get(SCHEMA_PARAM) ?? 'vigie';
  parsed.searchParams.delete(SCHEMA_PARAM);
  return { kind: 'postgres', url: parsed.toString(), schema };
}

/**
 * `sqlite:DIR` (a data directory, or the `vigie.db` file in it), a bare path (the same), or a
 * `postgres://…` URL.
 */
export function parseStoreLocation(text: string, cwd = process.cwd()): StoreLocation {
  const t = text.trim();
  if (t === '')
    throw new UsageError(msg('storecopy.bad-location', { text }), { hint: msg('storecopy.bad-url.hint') });
  if (isPostgresUrl(t)) return postgresLocation(t);
  const p = t.replace(/^sqlite:(\/\/)?/i, '');
  if (p === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(p)) {
    throw new UsageError(msg('storecopy.bad-location', { text }), { hint: msg('storecopy.bad-url.hint') });
  }
  const abs = path.resolve(cwd, p);
  return { kind: 'sqlite', dataDir: path.basename(abs) === 'vigie.db' ? path.dirname(abs) : abs };
}

/** What a location is called in messages (never a password). */
export function describeLocation(loc: StoreLocation): string {
  if (loc.kind === 'sqlite') return path.join(loc.dataDir, 'vigie.db');
  return `${redactUrl(loc.url)} (schema ${loc.schema})`;
}

/** The URL without its password, for messages (never print a secret). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}
