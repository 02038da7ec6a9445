import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderDigestEmail, type DigestData } from '../../src/report/index.js';
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
