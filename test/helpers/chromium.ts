import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

/** Debian's Chromium (.ci/run installs it); Playwright never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, sandbox-less (root in CI), and quiet: no background request leaves the machine. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** `run`; `skip` on a developer's machine without Chromium; `missing-in-ci`: a failure, never a skip. */
export type ChromiumMode = 'run' | 'skip' | 'missing-in-ci';

/** Whether `CI` says this is a CI run (`CI=true`, `CI=1` …; unset, empty, `0` and `false` do not). */
export function isCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env['CI']?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

export function chromiumMode(
  env: Readonly<Record<string, string | undefined>>,
  installed: boolean,
): ChromiumMode {
  if (installed) return 'run';
  return isCi(env) ? 'missing-in-ci' : 'skip';
}

export const CHROMIUM_MODE = chromiumMode(process.env, existsSync(CHROMIUM));

/** Kept for suites written with `describe.skipIf`: never true in CI. Prefer `describeInChromium`. */
export const skipWithoutChromium = CHROMIUM_MODE === 'skip';

export const MISSING_IN_CI = `Chromium is not installed at ${CHROMIUM} and CI is set: browser tests may not be skipped in CI. Install Debian's chromium package (.ci/run does).`;

/** The two vitest functions `describeInChromium` registers with (replaced in its own test). */
export interface SuiteApi {
  describe: ((name: string, body: () => void) => void) & {
    skip: (name: string, body: () => void) => void;
  };
  it: (name: string, fn: () => void) => void;
}

/**
 * A suite run in Chromium. Without it, a developer's run shows the suite as skipped; a CI run
 * replaces it with one failing test that says what is missing, so a CI without Chromium cannot pass.
 */
export function describeInChromium(
  name: string,
  body: () => void,
  mode: ChromiumMode = CHROMIUM_MODE,
  suite: SuiteApi = { describe, it },
): void {
  switch (mode) {
    case 'run':
      suite.describe(name, body);
      return;
    case 'skip':
      suite.describe.skip(`${name} (no Chromium at ${CHROMIUM})`, body);
      return;
    case 'missing-in-ci':
      suite.describe(name, () => {
        suite.it('has Chromium to run in', () => {
          throw new Error(MISSING_IN_CI);
        });
      });
      return;
  }
}
