import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DIGEST_CHART_CID, renderDigestEmail, type DigestData } from '../../src/report/index.js';
import { renderSvgToPng } from '../../src/report/png/index.js';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, describeInChromium } from '../helpers/chromium.js';
import { HOSTILE, reportFixture } from '../helpers/report-fixture.js';

function digest(): DigestData {
  const report = reportFixture('fr');
  return {
    report,
    week: { year: 2026, week: 48 },
    overdueFindings: [],
    playbooks: [
      {
        id: 'PB-002',
        title: { fr: 'Déni de service', en: 'DDoS' },
        owner: 'RSSI',
        nextReviewDue: '2026-09-10',
        reviewStatus: 'overdue',
      },
    ],
    incidents: [
      {
        id: 'INC-2026-001',
        title: `Fuite ${HOSTILE.owner}`,
        clocks: [
          {
            title: { fr: 'Notification à la CNIL (RGPD art. 33)', en: 'CNIL' },
            dueLocal: { fr: '30/11/2026 10:00 (heure de Paris)', en: '' },
            remaining: '23 h 12 min',
          },
        ],
      },
    ],
  };
}

interface Globals {
  document: {
    body: { scrollWidth: number };
    getElementsByTagName(n: string): { length: number };
    title: string;
  };
  window: { innerWidth: number };
}

// The weekly digest as a narrow mail client shows it: one column, nothing wider than the screen.
describeInChromium('the weekly digest e-mail in Chromium', () => {
  let dir = '';
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigie-digest-'));
    context = await chromium.launchPersistentContext(await mkdtemp(join(dir, 'profile-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      timeout: 30_000,
      viewport: { width: 360, height: 740 },
      offline: true,
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it('renders at phone width without overflow, escapes hostile text, and fetches nothing', async () => {
    const email = renderDigestEmail(digest(), 'fr');
    expect(email.subject).toMatch(/^\[vigie\] Semaine 48 — posture/);
    const file = join(dir, 'digest.html');
    await writeFile(file, email.html);
    const page = await context!.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { timeout: 15_000 });
    const facts = await page.evaluate(() => {
      const g = globalThis as unknown as Globals;
      return {
        overflow: g.document.body.scrollWidth - g.window.innerWidth,
        scripts: g.document.getElementsByTagName('script').length,
        images: g.document.getElementsByTagName('img').length,
      };
    });
    expect(facts.overflow).toBeLessThanOrEqual(1);
    expect(facts.scripts).toBe(0);
    expect(facts.images).toBe(1); // the inline trend chart (cid:)
    expect(await page.textContent('body')).toContain('INC-2026-001');
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('cid:'))).toEqual([]);
    const shot = join(dir, 'digest.png');
    await page.screenshot({ path: shot, fullPage: true, timeout: 15_000 });
    expect((await stat(shot)).size).toBeGreaterThan(10_000);
    await page.close();
  });
});

// What a manager sees: the counts by severity, and a trend chart whose dates and values stay readable
// once the mail client shrinks it to a phone's width (labels ≥ 11 px, drawn at 2× pixel density).
describeInChromium('the digest’s counts and trend chart at phone width', () => {
  let dir = '';
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigie-digest-chart-'));
    context = await chromium.launchPersistentContext(await mkdtemp(join(dir, 'profile-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      timeout: 30_000,
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      offline: true,
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it('shows the five severity counts and a sharp chart with readable dated labels', async () => {
    const email = renderDigestEmail(digest(), 'fr');
    const svg = email.chartSvg ?? '';
    expect(svg).not.toBe('');
    const png = renderSvgToPng(svg, { scale: 2 });
    const html = email.html.replace(
      `cid:${DIGEST_CHART_CID}`,
      `data:image/png;base64,${png.toString('base64')}`,
    );
    const file = join(dir, 'digest.html');
    await writeFile(file, html);
    const page = await context!.newPage();
    await page.goto(pathToFileURL(file).href, { timeout: 15_000 });
    // Evaluated in the page (a string: the test's type-check has no DOM library).
    const counts = await page.evaluate<
      { severity: string; text: string; width: number }[]
    >(`[...document.querySelectorAll('td.severity-count')].map((c) => ({
      severity: c.getAttribute('data-severity'),
      text: c.textContent.trim(),
      width: c.getBoundingClientRect().width,
    }))`);
    expect(counts.map((c) => c.severity)).toEqual(['critical', 'high', 'medium', 'low', 'info']);
    expect(counts[0]?.text).toBe('2critique'); // reportFixture: 2 critical findings
    expect(counts.every((c) => c.width > 40)).toBe(true);
    const img = await page.evaluate<{ natural: number; shown: number }>(`(() => {
      const i = document.querySelector('img');
      return { natural: i.naturalWidth, shown: i.getBoundingClientRect().width };
    })()`);
    expect(img.shown).toBeGreaterThan(200);
    expect(img.natural / img.shown).toBeGreaterThanOrEqual(2); // ≥ 2 image pixels per CSS pixel
    // The SVG the PNG was drawn from, shown at the same width as the image: every label's rendered
    // height is at least 11 CSS pixels, and the axis carries dates.
    await page.setContent(
      `<div style="width:${img.shown}px">${svg.replace('<svg', '<svg style="width:100%;height:auto"')}</div>`,
    );
    // Rendered size of each label: its font size times the scale of the SVG on the page.
    const labels = await page.evaluate<{ text: string; size: number }[]>(`(() => {
      const svg = document.querySelector('svg');
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      return [...svg.querySelectorAll('text')].map((t) => ({
        text: t.textContent,
        size: parseFloat(getComputedStyle(t).fontSize) * scale,
      }));
    })()`);
    expect(labels.length).toBeGreaterThan(2);
    for (const l of labels) expect(l.size, l.text).toBeGreaterThanOrEqual(11);
    expect(labels.some((l) => /\d{2}\/\d{2}|\d{4}-\d{2}-\d{2}/.test(l.text))).toBe(true);
    await page.close();
  });
});
