import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDigest, sendWeeklyDigest } from '../../../src/app/notify/index.js';
import type { AppContext } from '../../../src/app/shared/index.js';
import { fixedClock } from '../../../src/domain/index.js';
import { renderDigestEmail } from '../../../src/report/index.js';
import { openStore, type DiscoveredNameInput } from '../../../src/store/index.js';

const NOW = Date.parse('2026-11-30T08:00:00.000Z');
const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

let dir = '';
let inventory = '';
const ctx = (lang: 'fr' | 'en' = 'fr'): AppContext => ({
  clock: fixedClock(new Date(NOW)),
  lang,
  dataDir: path.join(dir, 'data'),
});

const named = (name: string, cls: DiscoveredNameInput['class'], details: Record<string, unknown> = {}) => ({
  name,
  domain: 'exemple.fr',
  class: cls,
  sources: ['ct' as const],
  details,
});

/** Saves a discovery run at `at` that saw `names`. */
async function discovery(id: string, at: number, names: DiscoveredNameInput[]): Promise<void> {
  const store = openStore(path.join(dir, 'data'));
  try {
    await store.discovery.saveRun(
      {
        id,
        kind: 'discovery',
        startedAt: iso(at),
        finishedAt: iso(at + 1000),
        scoringVersion: 'discovery-1',
        targets: ['exemple.fr'],
        endpoints: [],
        findings: [],
      },
      names,
    );
  } finally {
    await store.close();
  }
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-digest-discovered-'));
  inventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventory,
    `organisation: { name: Commune Test, language: fr }
assets:
  - { id: portail, name: Portail, owner: DSI web, criticality: high, hosts: [{ name: www.exemple.fr }] }
`,
  );
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the digest’s « new endpoints discovered » section', () => {
  it('is left out when no discovery ever ran', async () => {
    const r = await sendWeeklyDigest(ctx(), { inventoryFile: inventory, dryRun: true });
    expect(r.text).not.toContain('découverts');
  });

  it('lists the names first seen in the window and not in the inventory, dangling first, bounded', async () => {
    // an old discovery (before the 7-day window): its name is not news
    await discovery('d-old', NOW - 20 * DAY_MS, [named('ancien.exemple.fr', 'new')]);
    const many = Array.from({ length: 23 }, (_, i) =>
      named(`n${String(i).padStart(2, '0')}.exemple.fr`, 'new'),
    );
    await discovery('d-new', NOW - 2 * DAY_MS, [
      ...many,
      named('blog.exemple.fr', 'dangling', {
        takeover: { provider: 'azure-app-service', providerName: 'Azure App Service', rule: 'nxdomain' },
      }),
      named('www.exemple.fr', 'known'),
      named('mort.exemple.fr', 'unresolved'),
      named('ancien.exemple.fr', 'new'),
    ]);
    const r = await sendWeeklyDigest(ctx(), { inventoryFile: inventory, dryRun: true });
    const text = r.text ?? '';
    expect(text).toContain('Nouveaux points d’accès découverts (24)');
    const section = text.slice(text.indexOf('Nouveaux points d’accès découverts'));
    const lines = section.split('\n').filter((l) => l.startsWith('  - '));
    expect(lines[0]).toBe(
      '  - blog.exemple.fr — CNAME abandonné (Azure App Service), reprise possible, vu le 28/11/2026',
    );
    expect(lines[1]).toBe('  - n00.exemple.fr — hors inventaire, vu le 28/11/2026');
    expect(lines[20]).toBe('  - … et 4 autres (vigie discover --json les liste tous)');
    expect(section).not.toMatch(/www\.exemple\.fr|mort\.exemple\.fr|ancien\.exemple\.fr|n19\.exemple/);

    const mail = renderDigestEmail(
      await buildDigest(ctx('en'), { inventoryFile: inventory, week: { year: 2026, week: 49 } }),
      'en',
    );
    expect(mail.html).toContain('New endpoints discovered (24)');
    expect(mail.html).toContain(
      'blog.exemple.fr — dangling CNAME (Azure App Service), takeover possible, seen on 2026-11-28',
    );
    expect(mail.html).toContain('… and 4 more');
    expect(mail.text).toContain('New endpoints discovered (24)');
  });

  it('says « none » when discoveries ran but found nothing new in the window', async () => {
    await discovery('d1', NOW - DAY_MS, [named('www.exemple.fr', 'known')]);
    const r = await sendWeeklyDigest(ctx(), { inventoryFile: inventory, dryRun: true });
    expect(r.text).toMatch(/Nouveaux points d’accès découverts \(0\)\n=+\n.*\n {2}Aucun\./);
  });
});
