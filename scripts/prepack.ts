// npm pack / npm publish run this first: a clean dist/ compiled by tsc, then oclif.manifest.json
// (postpack removes it). The manifest is written with NODE_ENV=production whatever the caller's
// environment: under "development" or "test" oclif would record the TypeScript sources
// (src/commands/*.ts) as the commands' paths, and the installed package, which ships no src/, could
// not load a single command.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const run = (script: string, args: string[]): void => {
  execFileSync(process.execPath, [script, ...args], {
    cwd: root,
    stdio: 'inherit',
    // OCLIF_SKIP_NEW_VERSION_CHECK: the oclif tool would otherwise ask the registry for its own updates.
    env: { ...process.env, NODE_ENV: 'production', OCLIF_SKIP_NEW_VERSION_CHECK: 'true' },
  });
};

fs.rmSync(`${root}dist`, { recursive: true, force: true });
run(require.resolve('typescript/bin/tsc'), ['-p', 'tsconfig.json']);
run(require.resolve('oclif/bin/run.js'), ['manifest']);
