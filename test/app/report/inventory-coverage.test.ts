import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildChapter, buildReport } from '../../../src/app/report/index.js';
import type { AppContext } from '../../../src/app/shared/index.js';
import { fixedClock } from '../../../src/domain/index.js';
import {
  renderChapterMarkdown,
  renderReportHtml,
  renderReportMarkdown,
  renderReportText,
} from '../../../src/report/index.js';
import { openStore, type DiscoveredNameInput } from '../../../src/store/index.js';
import { assessed, run } from '../../store/store-fixtures.js';

const YEAR = 2026;
let dir = '';
let inventory = '';
const ctx = (): AppContext => ({
  clock: fixedClock(new Date('2026-12-01T10:00:00.000Z')),
  lang: 'fr',
  dataDir: path.join(dir, 'data'),
});
const named = (name: string, cls: DiscoveredNameInput['class']): DiscoveredNameInput => ({
  name,
  domain: 'exemple.fr',
  class: cls,
  sources: ['ct'],
  details: {},
});

async function save(fn: (store: ReturnType<typeof openStore>) => Promise<unknown>): Promise<void> {
  const store = openStore(path.join(dir, 'data'));
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

const coverage = async () => {
  const chapter = await buildChapter(ctx(), { year: YEAR, inventoryFile: inventory });
  return { chapter, indicator: chapter.indicators.find((i) => i.id === 'inventory-coverage') };
};

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-inventory-coverage-'));
  inventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventory,
    `organisation: { name: Commune Test, language: fr }
assets:
  - { id: portail, name: Portail, owner: DSI web, criticality: high, hosts: [{ name: www.exemple.fr }, { name: api.exemple.fr }, { name: mail.exemple.fr }], domains: [exemple.fr] }
`,
  );
  await save((store) =>
    store.runs.save(run('scan-1', '2026-11-01T02:00:00.000Z', [assessed('www.exemple.fr', 443, {})], [])),
  );
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the trust chapter’s inventory coverage', () => {
  it('is « non mesurée » while no discovery ran, never 100 %', async () => {
    const { indicator, chapter } = await coverage();
    expect(indicator).toMatchObject({ value: 'non mesurée', available: false });
    expect(renderChapterMarkdown(chapter)).toContain(
      '| Couverture de l’inventaire (découverte) | non mesurée |',
    );
  });

  it('counts the inventory’s names over them plus the discovered names it does not list', async () => {
    await save((store) =>
      store.discovery.saveRun({ ...run('d1', '2026-11-20T03:00:00.000Z', [], []), kind: 'discovery' }, [
        named('www.exemple.fr', 'known'),
        named('recette.exemple.fr', 'new'),
        named('blog.exemple.fr', 'dangling'),
        named('vieux.exemple.fr', 'unresolved'),
      ]),
    );
    const { indicator, chapter } = await coverage();
    // 3 inventoried / (3 + 2 unlisted) = 60 %
    expect(indicator).toMatchObject({ value: '60 %', available: true });
    expect(indicator?.comment).toBe(
      '3 nom(s) inventorié(s) ; 2 nom(s) découvert(s) hors inventaire, dont 1 CNAME abandonné(s) (dernière découverte le 2026-11-20).',
    );
    expect(indicator?.rows?.map((r) => r.label)).toEqual(['blog.exemple.fr', 'recette.exemple.fr']);
    expect(renderChapterMarkdown(chapter)).toContain('| Couverture de l’inventaire (découverte) | 60 % |');
  });

  it('is not measured for a year before the first discovery', async () => {
    await save(async (store) => {
      await store.runs.save(
        run('scan-0', '2025-06-01T02:00:00.000Z', [assessed('www.exemple.fr', 443, {})], []),
      );
      await store.discovery.saveRun({ ...run('d1', '2026-11-20T03:00:00.000Z', [], []), kind: 'discovery' }, [
        named('recette.exemple.fr', 'new'),
      ]);
    });
    const chapter = await buildChapter(ctx(), { year: 2025, inventoryFile: inventory });
    expect(chapter.indicators.find((i) => i.id === 'inventory-coverage')).toMatchObject({
      value: 'non mesurée',
      available: false,
    });
  });
});

describe('the posture report’s discovery line', () => {
  it('says nothing before any discovery, then counts the names left outside the inventory', async () => {
    const before = await buildReport(ctx(), { inventoryFile: inventory });
    expect(before.discovery).toBeUndefined();
    expect(renderReportText(before, 'fr')).not.toContain('Découverte du');
    await save((store) =>
      store.discovery.saveRun({ ...run('d1', '2026-11-20T03:00:00.000Z', [], []), kind: 'discovery' }, [
        named('www.exemple.fr', 'known'),
        named('recette.exemple.fr', 'new'),
        named('blog.exemple.fr', 'dangling'),
        named('vieux.exemple.fr', 'unresolved'),
      ]),
    );
    const report = await buildReport(ctx(), { inventoryFile: inventory });
    expect(report.discovery).toEqual({ lastRunAt: '2026-11-20T03:00:00.000Z', unlisted: 2, dangling: 1 });
    const line =
      'Découverte du 2026-11-20 : 2 point(s) d’accès hors inventaire, dont 1 CNAME abandonné(s) (vigie discover ; vigie inventory add les inventorie).';
    expect(renderReportText(report, 'fr')).toContain(line);
    expect(renderReportMarkdown(report, 'fr')).toContain('Découverte du 2026-11-20');
    expect(renderReportHtml(report, 'fr')).toContain('<p class="discovery">Découverte du 2026-11-20');
    expect(renderReportText({ ...report, lang: 'en' }, 'en')).toContain(
      'Discovery of 2026-11-20: 2 endpoint(s) not in the inventory, 1 of them dangling CNAMEs',
    );
  });
});
