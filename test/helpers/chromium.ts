import { existsSync } from 'node:fs';

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

/** Without Chromium a developer's run skips browser tests; CI (CI=true) must have it and fails otherwise. */
export const skipWithoutChromium = !existsSync(CHROMIUM) && !process.env['CI'];
