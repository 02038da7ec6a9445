// The fuzzing process that `fuzz/cli.ts` starts and watches: runs targets one after the other,
// writes each input to a file before trying it (so that the watcher knows the input when this
// process hangs or dies), prints one JSON line per target.
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import fc from 'fast-check';
import { targetNamed } from './targets/index.js';
import type { FuzzTarget } from './target.js';

export interface TargetFailure {
  kind: 'exception' | 'slow' | 'hang' | 'abort';
  message: string;
  /** The (shrunk) input, base64; text targets: UTF-8. */
  input: string;
  seed?: number;
  path?: string;
  shrinks?: number;
}

export interface TargetReport {
  target: string;
  inputs: number;
  ms: number;
  seeds: number;
  failures: TargetFailure[];
}

class SlowInput extends Error {
  override name = 'SlowInput';
}

/** A seed per target, derived from the campaign's seed (FNV-1a of the target name). */
export function targetSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (const c of name) h = Math.imul(h ^ (c.codePointAt(0) ?? 0), 0x01000193);
  return h | 0;
}

const toBytes = (input: string | Buffer): Buffer =>
  typeof input === 'string' ? Buffer.from(input, 'utf8') : input;

function runTarget(
  target: FuzzTarget,
  opts: { ms: number; seed: number; maxMs: number; current: number; maxFailures: number },
): TargetReport {
  const started = performance.now();
  const deadline = started + opts.ms;
  const header = Buffer.from(`${target.name}\n`);
  let inputs = 0;
  const failures: TargetFailure[] = [];
  const seen = new Set<string>();
  const arbitrary = target.arbitrary();
  let seed = targetSeed(opts.seed, target.name);
  let seeds = 0;
  while (performance.now() < deadline && failures.length < opts.maxFailures) {
    seeds += 1;
    const details = fc.check(
      fc.property(arbitrary, (input) => {
        inputs += 1;
        const bytes = Buffer.concat([header, toBytes(input)]);
        writeSync(opts.current, bytes, 0, bytes.length, 0);
        ftruncateSync(opts.current, bytes.length);
        const t0 = performance.now();
        target.check(input);
        const took = performance.now() - t0;
        if (took > opts.maxMs)
          throw new SlowInput(`${Math.round(took)} ms for one input (limit ${opts.maxMs} ms)`);
      }),
      {
        seed,
        numRuns: Number.MAX_SAFE_INTEGER,
        interruptAfterTimeLimit: Math.max(1, deadline - performance.now()),
        markInterruptAsFailure: false,
      },
    );
    if (!details.failed || details.counterexample === null) break;
    const error = details.errorInstance;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const signature = message.split('\n')[0]?.replace(/\d+/g, 'N') ?? '';
    if (!seen.has(signature)) {
      seen.add(signature);
      failures.push({
        kind: error instanceof SlowInput ? 'slow' : 'exception',
        message,
        input: toBytes(details.counterexample[0]).toString('base64'),
        seed,
        ...(details.counterexamplePath === null ? {} : { path: details.counterexamplePath }),
        shrinks: details.numShrinks,
      });
    }
    seed = (Math.imul(seed, 0x5bd1e995) + 0x2545f491) | 0; // another sequence, to look for more
  }
  return { target: target.name, inputs, ms: Math.round(performance.now() - started), seeds, failures };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const names = (arg('targets') ?? '').split(',').filter(Boolean);
const current = openSync(arg('current') ?? '/dev/null', 'w', 0o600);
try {
  for (const name of names) {
    const target = targetNamed(name);
    if (target === undefined) throw new Error(`unknown target ${name}`);
    const report = runTarget(target, {
      ms: Number(arg('ms') ?? 5000),
      seed: Number(arg('seed') ?? 1),
      maxMs: Number(arg('max-ms') ?? 2000),
      current,
      maxFailures: Number(arg('max-failures') ?? 5),
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
  }
} finally {
  closeSync(current);
}
