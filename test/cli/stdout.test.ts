import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeStdoutPieces } from '../../src/cli/index.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('writeStdoutPieces', () => {
  it('hands stdout the next piece only once it has taken the last (a slow pipe)', async () => {
    const written: string[] = [];
    let full = true;
    vi.spyOn(process.stdout, 'write').mockImplementation((piece: string | Uint8Array) => {
      written.push(String(piece));
      return !full;
    });
    let asked = 0;
    function* pieces(): Generator<string> {
      for (const p of ['a', 'b', 'c']) {
        asked += 1;
        yield p;
      }
    }
    const done = writeStdoutPieces(pieces());
    await new Promise((r) => setTimeout(r, 20));
    // Stdout full after the first piece: the second is not even made until it drains.
    expect(written).toEqual(['a']);
    expect(asked).toBe(1);
    full = false;
    process.stdout.emit('drain');
    await done;
    expect(written).toEqual(['a', 'b', 'c']);
  });

  it('fails when stdout does (its reader gone)', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => false);
    const done = writeStdoutPieces(['a', 'b']);
    const error = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    setTimeout(() => process.stdout.emit('error', error), 5);
    await expect(done).rejects.toThrow('EPIPE');
  });
});
