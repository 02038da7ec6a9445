import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spooledOutput } from '../../../src/app/shared/write-output.js';

let parent: string;
beforeEach(() => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-spooled-output-'));
});
afterEach(() => {
  fs.rmSync(parent, { recursive: true, force: true });
});

/** The private directories (and their modes) under `parent` while `use` runs. */
const privateDirs = () => fs.readdirSync(parent).map((d) => fs.statSync(path.join(parent, d)).mode & 0o777);

describe('spooledOutput', () => {
  it('hands on every piece, in order, from a private file removed afterwards', async () => {
    const pieces = Array.from({ length: 5000 }, (_, i) => `ligne ${i} — é\n`);
    let text = '';
    let during: number[] = [];
    await spooledOutput(
      async (write) => {
        for (const p of pieces) {
          write(p);
          if (p.endsWith('0 — é\n')) await Promise.resolve();
        }
      },
      async (chunks) => {
        during = privateDirs();
        for await (const chunk of chunks) text += chunk;
      },
      parent,
    );
    expect(text).toBe(pieces.join(''));
    expect(during).toEqual([0o700]);
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it('removes the file when the reader fails without reading, and fails with it', async () => {
    await expect(
      spooledOutput(
        async (write) => write('x'.repeat(200_000)),
        async () => {
          throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
        },
        parent,
      ),
    ).rejects.toThrow('EPIPE');
    // Give a stream that would open the file late the time to fail: nothing may throw afterwards.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it('hands nothing on when the output cannot be made', async () => {
    let used = false;
    await expect(
      spooledOutput(
        async () => {
          throw new Error('store gone');
        },
        async () => {
          used = true;
        },
        parent,
      ),
    ).rejects.toThrow('store gone');
    expect(used).toBe(false);
    expect(fs.readdirSync(parent)).toEqual([]);
  });
});
