import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TARGETS } from '../../fuzz/targets/index.js';

/*
 * The short fuzzing budget of CI: every target for a few seconds (about 45 s in all), from a fixed
 * seed, through the same runner as a long campaign (`npm run fuzz -- --seconds N --seed S`, see
 * docs/fuzzing.md): per-input time limit, a heap limit, a watchdog for hangs and crashes.
 */
const CLI = new URL('../../fuzz/cli.ts', import.meta.url).pathname;
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-fuzz-ci-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

interface Summary {
  seed: number;
  inputs: number;
  targets: { target: string; inputs: number; failures: number }[];
  failures: { target: string; kind: string; message: string; file: string }[];
}

describe('npm run fuzz, CI budget', () => {
  it('runs every target from a fixed seed and finds nothing', async () => {
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', CLI, '--seconds', '45', '--seed', '23', '--out', out, '--json'],
        { encoding: 'utf8', timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
      );
    });
    const summary = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Summary;
    expect(summary.failures, run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    expect(summary.targets.map((t) => t.target).sort()).toEqual(TARGETS.map((t) => t.name).sort());
    for (const t of summary.targets) expect(t.inputs, t.target).toBeGreaterThan(20);
  }, 300_000);
});
