import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';
import { openPgStore } from '../../src/store/postgres/open-pg-store.js';

/** A store opened for one test, on data of its own. */
export interface OpenedStore {
  store: Store;
  /** Closes `store` and opens the same data again: what a restart keeps. */
  reopen(): Promise<Store>;
  /** Another store on the same data, as a second process opens it; closed on cleanup if still open. */
  another(): Promise<Store>;
  /**
   * Module code that binds `store` to the same data when run by a child process
   * (`node --import tsx --input-type=module -e`).
   */
  childOpen: string;
  /** Closes what is open and removes the data. */
  cleanup(): Promise<void>;
}

/** One implementation of the store's repositories, as the store tests see it. */
export interface StoreBackend {
  name: string;
  /** A fresh, empty store. */
  open(): Promise<OpenedStore>;
}

const source = (file: string) => JSON.stringify(fileURLToPath(new URL(`../../src/${file}`, import.meta.url)));

const sqlite: StoreBackend = {
  name: 'sqlite',
  open: async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-store-'));
    let store = openStore(dir);
    const others: Store[] = [];
    return {
      get store() {
        return store;
      },
      reopen: async () => {
        await store.close();
        store = openStore(dir);
        return store;
      },
      another: () => {
        const other = openStore(dir);
        others.push(other);
        return Promise.resolve(other);
      },
      childOpen: `import { openStore } from ${source('store/index.ts')};
        const store = openStore(${JSON.stringify(dir)});`,
      cleanup: async () => {
        for (const other of others) await other.close();
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const PG_URL = process.env['VIGIE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
let schemas = 0;

/** PostgreSQL (the machine's, database `test`): each store on a schema of its own, dropped afterwards. */
const postgres: StoreBackend = {
  name: 'postgres',
  open: async () => {
    const schema = `t_backend_${process.pid}_${Date.now().toString(36)}_${++schemas}`;
    let store = await openPgStore(PG_URL, { schema });
    const others: Store[] = [];
    return {
      get store() {
        return store;
      },
      reopen: async () => {
        await store.close();
        store = await openPgStore(PG_URL, { schema });
        return store;
      },
      another: async () => {
        const other = await openPgStore(PG_URL, { schema });
        others.push(other);
        return other;
      },
      childOpen: `import { openPgStore } from ${source('store/postgres/open-pg-store.ts')};
        const store = await openPgStore(${JSON.stringify(PG_URL)}, { schema: ${JSON.stringify(schema)} });`,
      cleanup: async () => {
        for (const other of others) await other.close();
        await store.close();
        const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
        await admin.connect();
        try {
          await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await admin.end();
        }
      },
    };
  },
};

/**
 * The backends every store test runs on, through `describe.each(storeBackends)('… ($name)', …)`:
 * the embedded SQLite and the shared PostgreSQL, one suite for both.
 */
export const storeBackends: StoreBackend[] = [sqlite, postgres];

/**
 * Inside a `describe` of one backend: `open()` gives a fresh store, cleaned up after the test
 * (every store opened in the test, in the order opened).
 */
export function useStoreBackend(backend: StoreBackend): { open: () => Promise<OpenedStore> } {
  const opened: OpenedStore[] = [];
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.cleanup();
  });
  return {
    open: async () => {
      const o = await backend.open();
      opened.push(o);
      return o;
    },
  };
}
