import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { DATABASE_FILE, openStore } from '../../src/store/index.js';
import { assessed, run } from './store-fixtures.js';

let dir: string;
let savedUmask: number;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-store-modes-'));
  // The most permissive umask there is (tests run in forked processes: process.umask may be set).
  savedUmask = process.umask(0o000);
});
afterEach(() => {
  process.umask(savedUmask);
  fs.rmSync(dir, { recursive: true, force: true });
});

const modeOf = (file: string): string => (fs.statSync(file).mode & 0o777).toString(8).padStart(4, '0');

describe('the database files are private', () => {
  it('creates the data directory 0700 and the database, its -wal and -shm 0600 under umask 000', async () => {
    const dataDir = path.join(dir, 'a', 'donnees');
    const store = openStore(dataDir);
    onTestFinished(() => store.close());
    await store.runs.save(
      run(
        'run-1',
        '2025-03-01T02:00:00.000Z',
        [assessed('www.exemple.fr', 443, { 'tls.cert.expired': 'pass' })],
        [],
      ),
    );
    const db = path.join(dataDir, DATABASE_FILE);
    expect(modeOf(path.join(dir, 'a'))).toBe('0700');
    expect(modeOf(dataDir)).toBe('0700');
    // While a connection is open, SQLite keeps its WAL and shared-memory files beside the database.
    expect([db, `${db}-wal`, `${db}-shm`].map(modeOf)).toEqual(['0600', '0600', '0600']);
  });

  it('makes a database left readable by others private again, -wal and -shm included; leaves the directory', () => {
    const dataDir = path.join(dir, 'var-lib-vigie');
    fs.mkdirSync(dataDir);
    fs.chmodSync(dataDir, 0o750);
    const file = path.join(dataDir, DATABASE_FILE);
    process.umask(0o022);
    const older = new Database(file); // as an earlier vigie left it: 0644
    onTestFinished(() => {
      older.close();
    });
    older.pragma('journal_mode = WAL');
    older.exec('CREATE TABLE IF NOT EXISTS t (x); INSERT INTO t VALUES (1);');
    expect([file, `${file}-wal`, `${file}-shm`].map(modeOf)).toEqual(['0644', '0644', '0644']);
    const store = openStore(dataDir);
    onTestFinished(() => store.close());
    expect([file, `${file}-wal`, `${file}-shm`].map(modeOf)).toEqual(['0600', '0600', '0600']);
    expect(modeOf(dataDir)).toBe('0750'); // an administrator's directory: not ours to change
  });
});
