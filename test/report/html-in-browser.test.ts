import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderReportHtml, renderReportJunit } from '../../src/report/index.js';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, describeInChromium } from '../helpers/chromium.js';
import { FIXTURE_JUNIT, HOSTILE, reportFixture } from '../helpers/report-fixture.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

/** The few browser globals the page functions use: the project compiles without the DOM library. */
interface PageDocument {
  documentElement: {
    lang: string;
    scrollWidth: number;
    nodeName: string;
    getAttribute(name: string): string | null;
  };
  body: { scrollWidth: number };
  getElementsByTagName(name: string): { length: number };
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
}
interface PageGlobals {
  document: PageDocument;
  window: { innerWidth: number };
  DOMParser: new () => { parseFromString(text: string, type: string): PageDocument };
}

/** Rejects when a step hangs, so a stuck browser fails the test instead of stalling the run. */
async function within<T>(ms: number, what: string, step: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([step, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// Without Chromium a developer's run skips this suite; a CI run (CI set) fails instead.
describeInChromium('the HTML report in Chromium', () => {
  let dir = '';
  let context: BrowserContext | undefined;
  let fileUrl = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigie-html-'));
    const file = join(dir, 'rapport.html');
    await writeFile(file, renderReportHtml(reportFixture('fr'), 'fr'));
    fileUrl = pathToFileURL(file).href;
    context = await chromium.launchPersistentContext(await mkdtemp(join(dir, 'profile-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      timeout: 30_000,
      viewport: PHONE,
      offline: true,
    });
  }, 60_000);

  afterAll(async () => {
    if (context) await within(15_000, 'closing Chromium', context.close()).catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 30_000);

  /** Opens the report at a viewport, recording every request, dialog and page error. */
  async function open(viewport: { width: number; height: number }) {
    if (!context) throw new Error('Chromium did not start');
    const page: Page = await context.newPage();
    const requests: string[] = [];
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.setDefaultTimeout(15_000);
    await page.setViewportSize(viewport);
    await page.goto(fileUrl, { waitUntil: 'load', timeout: 15_000 });
    return { page, requests, dialogs, errors };
  }

  it('renders on a phone: title, chart, no sideways scrolling, nothing fetched, nothing run', async () => {
    const { page, requests, dialogs, errors } = await open(PHONE);
    try {
      expect(
        await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.lang),
      ).toBe('fr');
      expect(await page.locator('h1').innerText()).toBe(`Posture de sécurité — ${HOSTILE.organisation}`);

      const chart = page.locator('svg[aria-labelledby="trend-chart-title"]');
      const box = await chart.boundingBox();
      expect(box?.width).toBeGreaterThan(200);
      expect(box?.height).toBeGreaterThan(100);
      expect(box?.width).toBeLessThanOrEqual(PHONE.width);
      expect(await page.locator('svg polyline').count()).toBe(1);

      const overflow = await page.evaluate(() => {
        const { document, window } = globalThis as unknown as PageGlobals;
        return {
          doc: document.documentElement.scrollWidth,
          body: document.body.scrollWidth,
          inner: window.innerWidth,
        };
      });
      expect(overflow.doc).toBeLessThanOrEqual(overflow.inner);
      expect(overflow.body).toBeLessThanOrEqual(overflow.inner);
      // The wide findings table scrolls inside its own box instead.
      const findings = page.locator('section[aria-labelledby="findings"] .table-wrap');
      const scroll = await findings.evaluate((el: unknown) => {
        const box = el as { scrollWidth: number; clientWidth: number };
        return { scroll: box.scrollWidth, client: box.clientWidth };
      });
      expect(scroll.scroll).toBeGreaterThan(scroll.client);

      // Hostile strings are shown as text and nothing ran.
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.getByText(HOSTILE.owner, { exact: true }).count()).toBeGreaterThan(0);
      expect(await page.locator('del', { hasText: 'TLS 1.0 accepté' }).count()).toBeGreaterThan(0);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      expect(requests).toEqual([fileUrl]);

      const shot = join(dir, 'telephone.png');
      await page.screenshot({ path: shot, fullPage: true, timeout: 15_000 });
      const png = await readFile(shot);
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect((await stat(shot)).size).toBeGreaterThan(20_000);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('renders on a desktop and prints', async () => {
    const { page, requests } = await open(DESKTOP);
    try {
      const bars = await page.locator('svg[aria-labelledby="severity-chart-title"]').boundingBox();
      expect(bars?.width).toBeGreaterThan(300);
      expect(bars?.height).toBeGreaterThan(100);
      expect(await page.locator('h2').allInnerTexts()).toContain('Risques principaux');
      const shot = join(dir, 'bureau.png');
      await page.screenshot({ path: shot, fullPage: true, timeout: 15_000 });
      expect((await stat(shot)).size).toBeGreaterThan(20_000);

      await page.emulateMedia({ media: 'print' });
      const pdf = await within(30_000, 'printing to PDF', page.pdf({ format: 'A4' }));
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(10_000);
      expect(requests).toEqual([fileUrl]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('parses the JUnit report as well-formed XML with the right counts', async () => {
    const { page } = await open(DESKTOP);
    try {
      const xml = renderReportJunit(reportFixture('fr'), 'fr');
      const parsed = await page.evaluate((text) => {
        const { DOMParser } = globalThis as unknown as PageGlobals;
        const doc = new DOMParser().parseFromString(text, 'application/xml');
        const root = doc.documentElement;
        return {
          error: doc.getElementsByTagName('parsererror').length,
          root: root.nodeName,
          tests: root.getAttribute('tests'),
          suites: doc.getElementsByTagName('testsuite').length,
          cases: doc.getElementsByTagName('testcase').length,
          failures: doc.getElementsByTagName('failure').length,
          errors: doc.getElementsByTagName('error').length,
          skipped: doc.getElementsByTagName('skipped').length,
          owner:
            doc.querySelector('property[name="owner"][value^="<script>"]')?.getAttribute('value') ?? null,
        };
      }, xml);
      expect(parsed).toEqual({
        error: 0,
        root: 'testsuites',
        tests: String(FIXTURE_JUNIT.tests),
        suites: FIXTURE_JUNIT.suites,
        cases: FIXTURE_JUNIT.tests,
        failures: FIXTURE_JUNIT.failures,
        errors: FIXTURE_JUNIT.errors,
        skipped: FIXTURE_JUNIT.skipped,
        owner: HOSTILE.owner,
      });
    } finally {
      await page.close();
    }
  }, 60_000);
});
