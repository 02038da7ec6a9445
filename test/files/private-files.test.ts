import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createPrivateFile,
  ensurePrivateDir,
  openPrivateAppend,
  tightenFileMode,
  writePrivateFileAtomic,
} from '../../src/files/index.js';

let dir: string;
let savedUmask: number;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-files-'));
  savedUmask = process.umask(0o000);
});
afterEach(() => {
  process.umask(savedUmask);
  fs.rmSync(dir, { recursive: true, force: true });
});

const modeOf = (file: string): number => fs.statSync(file).mode & 0o777;

describe('private files', () => {
  it('creates missing directories 0700 and leaves existing ones alone', () => {
    fs.mkdirSync(path.join(dir, 'public'));
    fs.chmodSync(path.join(dir, 'public'), 0o755);
    ensurePrivateDir(path.join(dir, 'public', 'a', 'b'));
    expect(modeOf(path.join(dir, 'public'))).toBe(0o755);
    expect(modeOf(path.join(dir, 'public', 'a'))).toBe(0o700);
    expect(modeOf(path.join(dir, 'public', 'a', 'b'))).toBe(0o700);
    process.umask(0o077);
    ensurePrivateDir(path.join(dir, 'c'));
    expect(modeOf(path.join(dir, 'c'))).toBe(0o700);
  });

  it('writes atomically with 0600, replacing a looser file, leaving no temporary file', () => {
    const file = path.join(dir, 'rapport.html');
    fs.writeFileSync(file, 'ancien', { mode: 0o666 });
    writePrivateFileAtomic(file, 'nouveau');
    expect(fs.readFileSync(file, 'utf8')).toBe('nouveau');
    expect(modeOf(file)).toBe(0o600);
    writePrivateFileAtomic(path.join(dir, 'export.xlsx'), new Uint8Array([1, 2, 3]));
    expect(modeOf(path.join(dir, 'export.xlsx'))).toBe(0o600);
    expect(fs.readdirSync(dir).sort()).toEqual(['export.xlsx', 'rapport.html']);
  });

  it('creates exclusively (0600) and refuses an existing file', () => {
    const file = path.join(dir, 'verrou');
    createPrivateFile(file, 'x');
    expect(modeOf(file)).toBe(0o600);
    expect(() => createPrivateFile(file, 'y')).toThrow(/EEXIST/);
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('appends to a log made private, and tightens without ever loosening', () => {
    const log = path.join(dir, 'vigie.log');
    fs.writeFileSync(log, 'ligne 1\n', { mode: 0o644 });
    const fd = openPrivateAppend(log);
    fs.writeSync(fd, 'ligne 2\n');
    fs.closeSync(fd);
    expect(fs.readFileSync(log, 'utf8')).toBe('ligne 1\nligne 2\n');
    expect(modeOf(log)).toBe(0o600);
    const readOnly = path.join(dir, 'lecture-seule');
    fs.writeFileSync(readOnly, '', { mode: 0o400 });
    tightenFileMode(readOnly);
    expect(modeOf(readOnly)).toBe(0o400);
    fs.writeFileSync(path.join(dir, 'groupe'), '', { mode: 0o640 });
    tightenFileMode(path.join(dir, 'groupe'));
    expect(modeOf(path.join(dir, 'groupe'))).toBe(0o600);
    expect(() => tightenFileMode(path.join(dir, 'absent'))).not.toThrow();
  });
});
