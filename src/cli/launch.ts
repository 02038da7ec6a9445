import { execute, type Interfaces } from '@oclif/core';
import { fileURLToPath } from 'node:url';
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

/** What bin/run.js (and bin/dev.js, from the sources) run: the CLI under the plugin policy. */
export async function launch(binUrl: string, options: { development?: boolean } = {}): Promise<void> {
  await execute({
    args: hoistLanguageFlag(process.argv.slice(2)),
    loadOptions: oclifLoadOptions(fileURLToPath(binUrl)),
    ...(options.development ? { development: true } : {}),
  });
}
