// npm run fuzz [-- --seconds N] [--seed S] [--target NAME[,NAME…]] [--max-ms M] [--memory MB] [--out DIR] [--json]
//
// Runs every fuzz target (or those named) for N seconds in all (split evenly), deterministically
// from seed S: the same seed draws the same inputs in the same order. The targets run in a child
// process limited to MB of heap, which writes each input to a file before trying it; this process
// watches it, so that a hang (no new input for a while) or a crash of the process (an abort of
// Node, an out-of-memory) is caught with its input, and the remaining targets go on in a new
// child. Every failure is written to DIR (one file per input, and summary.json); the exit code is
// 1 when there is one. See docs/fuzzing.md.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TARGETS } from './targets/index.js';
import type { TargetFailure, TargetReport } from './worker.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : (process.argv[i + 1] ?? fallback);
}

const seconds = Number(arg('seconds', '60'));
const seed = Number(arg('seed', '1'));
const maxMs = Number(arg('max-ms', '2000'));
const memory = Number(arg('memory', '1024'));
const json = process.argv.includes('--json');
const out = path.resolve(arg('out', 'fuzz/findings'));
const wanted = arg('target', '').split(',').filter(Boolean);
const targets = wanted.length === 0 ? TARGETS.map((t) => t.name) : wanted;
for (const name of targets) {
  if (!TARGETS.some((t) => t.name === name)) {
    console.error(`unknown target ${name}; targets: ${TARGETS.map((t) => t.name).join(', ')}`);
    process.exit(2);
  }
}
if (!(seconds > 0) || !Number.isInteger(seed)) {
  console.error('--seconds must be a positive number and --seed an integer');
  process.exit(2);
}
const perTargetMs = Math.max(500, Math.floor((seconds * 1000) / targets.length));
/** No new input for this long: the target hangs. */
const hangMs = Math.max(15_000, 5 * maxMs);
const work = mkdtempSync(path.join(tmpdir(), 'vigie-fuzz-'));
const currentFile = path.join(work, 'current-input');
const workerPath = new URL('./worker.ts', import.meta.url).pathname;

interface ChildEnd {
  reports: TargetReport[];
  crash?: { target: string; failure: TargetFailure };
}

/** The input the child was trying last, and its target. */
function lastInput(): { target: string; input: Buffer } {
  try {
    const bytes = readFileSync(currentFile);
    const nl = bytes.indexOf(0x0a);
    return { target: bytes.subarray(0, nl).toString(), input: bytes.subarray(nl + 1) };
  } catch {
    return { target: '?', input: Buffer.alloc(0) };
  }
}

function runChild(names: readonly string[]): Promise<ChildEnd> {
  writeFileSync(currentFile, '', { mode: 0o600 });
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${memory}`,
      '--import',
      'tsx',
      workerPath,
      '--targets',
      names.join(','),
      '--ms',
      String(perTargetMs),
      '--seed',
      String(seed),
      '--max-ms',
      String(maxMs),
      '--current',
      currentFile,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const reports: TargetReport[] = [];
  let pending = '';
  let stderr = '';
  let hung = false;
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.trim() === '') continue;
      const report = JSON.parse(line) as TargetReport;
      reports.push(report);
      if (!json) {
        console.log(
          `${report.target.padEnd(18)} ${String(report.inputs).padStart(9)} inputs  ${(report.ms / 1000).toFixed(1).padStart(6)} s  ${report.failures.length} failure(s)`,
        );
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const started = Date.now();
  const watchdog = setInterval(() => {
    let last = started;
    try {
      last = Math.max(started, statSync(currentFile).mtimeMs);
    } catch {
      // not written yet
    }
    if (Date.now() - last > hangMs) {
      hung = true;
      child.kill('SIGKILL');
    }
  }, 250);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearInterval(watchdog);
      if (code === 0 && !hung) return resolve({ reports });
      const { target, input } = lastInput();
      const message = hung
        ? `no answer for ${hangMs / 1000} s on one input (killed)`
        : `the fuzzing process died (${signal ?? `exit ${code}`}): ${stderr.split('\n').filter(Boolean).slice(0, 3).join(' | ').slice(0, 500)}`;
      resolve({
        reports,
        crash: {
          target,
          failure: { kind: hung ? 'hang' : 'abort', message, input: input.toString('base64') },
        },
      });
    });
  });
}

const started = Date.now();
const reports: TargetReport[] = [];
let remaining = [...targets];
while (remaining.length > 0) {
  const end = await runChild(remaining);
  reports.push(...end.reports);
  const done = new Set(end.reports.map((r) => r.target));
  remaining = remaining.filter((t) => !done.has(t));
  if (end.crash !== undefined) {
    const name = remaining.includes(end.crash.target) ? end.crash.target : (remaining[0] ?? end.crash.target);
    reports.push({ target: name, inputs: 0, ms: 0, seeds: 0, failures: [end.crash.failure] });
    if (!json) console.log(`${name.padEnd(18)} ${end.crash.failure.kind}: ${end.crash.failure.message}`);
    remaining = remaining.filter((t) => t !== name);
  }
}
rmSync(work, { recursive: true, force: true });

const failures = reports.flatMap((r) => r.failures.map((f) => ({ target: r.target, ...f })));
const summary = {
  seed,
  seconds,
  maxMsPerInput: maxMs,
  memoryMb: memory,
  wallSeconds: Math.round((Date.now() - started) / 100) / 10,
  inputs: reports.reduce((n, r) => n + r.inputs, 0),
  targets: reports.map((r) => ({
    target: r.target,
    inputs: r.inputs,
    ms: r.ms,
    failures: r.failures.length,
  })),
  failures: failures.map((f) => {
    const input = Buffer.from(f.input, 'base64');
    const target = TARGETS.find((t) => t.name === f.target);
    const file = `${f.target}-${createHash('sha256').update(input).digest('hex').slice(0, 12)}.${target?.input === 'text' ? 'txt' : 'bin'}`;
    return { ...f, file, bytes: input.length };
  }),
};
if (summary.failures.length > 0) {
  mkdirSync(out, { recursive: true, mode: 0o700 });
  for (const f of summary.failures)
    writeFileSync(path.join(out, f.file), Buffer.from(f.input, 'base64'), { mode: 0o600 });
}
mkdirSync(out, { recursive: true, mode: 0o700 });
writeFileSync(path.join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`, { mode: 0o600 });
if (json) {
  console.log(JSON.stringify(summary));
} else {
  console.log(
    `seed ${seed}: ${summary.inputs} inputs on ${reports.length} targets in ${summary.wallSeconds} s, ${summary.failures.length} failure(s)` +
      (summary.failures.length > 0 ? ` — inputs in ${out}` : ''),
  );
  for (const f of summary.failures)
    console.log(`  ${f.target} [${f.kind}] ${f.message.split('\n')[0]?.slice(0, 200)} → ${f.file}`);
}
process.exitCode = summary.failures.length > 0 ? 1 : 0;
