import type { Command, Interfaces } from '@oclif/core';
import { fileURLToPath } from 'node:url';
import { oclifLoadOptions } from '../../src/cli/launch.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CommandOutput<R> {
  stdout: string;
  stderr: string;
  exitCode: number;
  result: R | undefined;
  /** stdout parsed as JSON (for --json runs). */
  json<T = unknown>(): T;
}

type Runnable<R> = { run(argv?: string[], opts?: Interfaces.LoadOptions): Promise<R> } & typeof Command;

/**
 * Runs an oclif command in-process with the given argv and environment, capturing what it writes
 * and the exit code it sets (commands set process.exitCode; they never call process.exit).
 */
export async function runCommand<R>(
  Cmd: Runnable<R>,
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<CommandOutput<R>> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  const out: string[] = [];
  const err: string[] = [];
  const origOut = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = (chunk: string | Uint8Array) => {
    out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  };
  process.stderr.write = (chunk: string | Uint8Array) => {
    err.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  };
  process.exitCode = undefined;
  let result: R | undefined;
  try {
    result = await Cmd.run(argv, oclifLoadOptions(ROOT));
  } catch (error) {
    err.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    process.exitCode ??= 1;
  } finally {
    process.stdout.write = origOut;
    process.stderr.write = origErr;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  const stdout = out.join('');
  return { stdout, stderr: err.join(''), exitCode, result, json: <T>() => JSON.parse(stdout) as T };
}
