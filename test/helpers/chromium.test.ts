import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  chromiumMode,
  describeInChromium,
  MISSING_IN_CI,
  type ChromiumMode,
  type SuiteApi,
} from './chromium.js';

const TEST_DIR = fileURLToPath(new URL('../', import.meta.url));

/** What `describeInChromium` registered: suites (skipped or not) and tests, bodies not run. */
function registered(mode: ChromiumMode) {
  const log: string[] = [];
  const tests: { name: string; fn: () => void }[] = [];
  let bodyRan = false;
  const api: SuiteApi = {
    describe: Object.assign(
      (name: string, body: () => void) => {
        log.push(`describe ${name}`);
        body();
      },
      { skip: (name: string) => log.push(`skip ${name}`) },
    ),
    it: (name: string, fn: () => void) => {
      log.push(`it ${name}`);
      tests.push({ name, fn });
    },
  };
  describeInChromium('the report', () => (bodyRan = true), mode, api);
  return { log, tests, bodyRan };
}

describe('browser tests without Chromium', () => {
  it('run when Chromium is installed, CI or not', () => {
    expect(chromiumMode({}, true)).toBe('run');
    expect(chromiumMode({ CI: 'true' }, true)).toBe('run');
    expect(registered('run')).toMatchObject({ log: ['describe the report'], bodyRan: true });
  });

  it('are skipped, visibly, on a developer’s machine without Chromium', () => {
    for (const CI of [undefined, '', '0', 'false', 'FALSE'])
      expect(chromiumMode({ CI }, false), CI).toBe('skip');
    const r = registered('skip');
    expect(r.log).toEqual(['skip the report (no Chromium at /usr/bin/chromium)']);
    expect(r.bodyRan).toBe(false);
  });

  it('fail in CI without Chromium, saying what to install', () => {
    for (const CI of ['true', '1', 'yes', 'GitHub Actions']) {
      expect(chromiumMode({ CI }, false), CI).toBe('missing-in-ci');
    }
    const r = registered('missing-in-ci');
    expect(r.bodyRan).toBe(false);
    expect(r.log).toEqual(['describe the report', 'it has Chromium to run in']);
    expect(r.tests[0]?.fn).toThrow(MISSING_IN_CI);
    expect(MISSING_IN_CI).toContain('chromium package');
  });

  it('every test file driving a browser goes through describeInChromium', () => {
    const files = fs
      .readdirSync(TEST_DIR, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(TEST_DIR, f));
    const browserFiles = files.filter((f) => fs.readFileSync(f, 'utf8').includes("from 'playwright-core'"));
    expect(browserFiles.length).toBeGreaterThanOrEqual(2);
    for (const file of browserFiles) {
      const text = fs.readFileSync(file, 'utf8');
      expect(text, path.relative(TEST_DIR, file)).toMatch(/\bdescribeInChromium\(/);
      expect(text, path.relative(TEST_DIR, file)).not.toMatch(/skipIf\(|existsSync\(CHROMIUM/);
    }
  });
});
