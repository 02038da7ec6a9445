import { execute, type Interfaces } from '@oclif/core';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { hoistLanguageFlag } from './early-language.js';

/**
 * vigie runs only the code it ships: oclif loads no user plugin (`<oclif data dir>/package.json`,
 * which by default oclif reads from VIGIE_DATA_DIR since the bin is named `vigie`), no linked
 * plugin, no dev plugin and installs no just-in-time plugin. The core plugins of package.json
 * (help, autocomplete) are dependencies of vigie itself.
 */
export const PLUGIN_POLICY = { userPlugins: false, devPlugins: false, jitPlugins: false } as const;

/** oclif's load options for the package whose root (or a file inside it) is `root`. */
export function oclifLoadOptions(root: string): Interfaces.LoadOptions {
  return { root, ...PLUGIN_POLICY };
}

/**
 * How V8 should size its heap. vigie's long commands (a scan or a report of 50 000 endpoints) keep
 * little alive but make much garbage, and V8 by default lets its heap grow to several times what is
 * alive before a full collection: `small` (the default) asks V8 to optimise for size, which keeps the
 * peak near what is alive, at some cost in time (ADR 0023, docs/scale.md); `VIGIE_HEAP=fast` keeps
 * V8's defaults.
 */
export function heapPolicy(env: NodeJS.ProcessEnv): 'small' | 'fast' {
  return env['VIGIE_HEAP']?.trim().toLowerCase() === 'fast' ? 'fast' : 'small';
}

/** What bin/run.js (and bin/dev.js, from the sources) run: the CLI under the plugin policy. */
export async function launch(binUrl: string, options: { development?: boolean } = {}): Promise<void> {
  // Read by V8 at each collection, so it holds from here on (measured: see docs/scale.md).
  if (heapPolicy(process.env) === 'small') v8.setFlagsFromString('--optimize-for-size');
  await execute({
    args: hoistLanguageFlag(process.argv.slice(2)),
    loadOptions: oclifLoadOptions(fileURLToPath(binUrl)),
    ...(options.development ? { development: true } : {}),
  });
}
