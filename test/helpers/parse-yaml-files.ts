// Run in a child process by tests: parses each file named on the command line with vigie's YAML
// reader, in this one process, and prints one JSON line per file: what came back. A parser that
// aborts Node (as deep nesting parsed twice used to) shows as the child's exit status instead.
import { readFileSync } from 'node:fs';
import { parseYamlDocument } from '../../src/config/yaml-source.js';

for (const file of process.argv.slice(2)) {
  const started = performance.now();
  let outcome: { error?: string; exitCode?: number; messages?: string[] };
  try {
    parseYamlDocument(readFileSync(file, 'utf8'), file);
    outcome = {};
  } catch (error) {
    const e = error as { name?: string; exitCode?: number; issues?: { message: string }[] };
    outcome = {
      error: e.name ?? String(error),
      ...(e.exitCode === undefined ? {} : { exitCode: e.exitCode }),
      messages: (e.issues ?? []).map((i) => i.message),
    };
  }
  console.log(JSON.stringify({ file, ...outcome, ms: Math.round(performance.now() - started) }));
}
