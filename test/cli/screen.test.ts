import { PassThrough } from 'node:stream';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { colourEnabled, progressBar, progressFigures } from '../../src/cli/index.js';

describe('colour', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, { FORCE_COLOR: '1' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [true, { NO_COLOR: '1', FORCE_COLOR: '1' }, true],
  ])('a terminal %s with %j: colour %s', (isTTY, env, expected) => {
    expect(colourEnabled({ isTTY }, env)).toBe(expected);
  });
});

describe('progress', () => {
  it('never shows more done than the total, and is full only at the end', () => {
    expect(progressFigures(21, 19)).toEqual({ value: 21, total: 21 });
    expect(progressFigures(0, 0)).toEqual({ value: 0, total: 1 });

    vi.useFakeTimers();
    onTestFinished(() => void vi.useRealTimers());
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let written = '';
    stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const bar = progressBar(true, 'Analyse', stream as unknown as NodeJS.WriteStream);
    // As the engine reports a demo scan: 2 domains of 19 planned, then their 2 MX hosts join in.
    // The bar redraws at most 10 times a second: let time pass between endpoints, as in a real scan.
    const step = (done: number, total: number) => {
      bar.update(done, total, `e${done}`);
      vi.advanceTimersByTime(250);
    };
    step(1, 19);
    step(2, 19);
    for (let done = 3; done <= 21; done += 1) step(done, 21);
    bar.stop();
    const shown = [...written.matchAll(/(\d+)\/(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(shown.length).toBeGreaterThan(2);
    for (const [done, total] of shown) expect(done).toBeLessThanOrEqual(total!);
    expect(shown.filter(([done, total]) => done === total).map(([d]) => d)).toEqual(
      shown.filter(([done, total]) => done === total).map(() => 21),
    );
    expect(shown.at(-1)).toEqual([21, 21]);
  });

  it('prints nothing when not on a terminal', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: false });
    let written = '';
    stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const bar = progressBar(true, 'Analyse', stream as unknown as NodeJS.WriteStream);
    bar.update(1, 2, 'a');
    bar.stop();
    expect(written).toBe('');
  });
});
