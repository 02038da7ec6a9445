import { describe, expect, it } from 'vitest';
import type { RunPage } from '../../src/store/index.js';
import { storeBackends, useStoreBackend } from '../helpers/store-backends.js';
import { assessed, finding } from './store-fixtures.js';

const T1 = '2026-12-01T10:00:00.000Z';
const header = { id: 'r1', startedAt: T1, scoringVersion: '2025.1', targets: ['inventory'] };

/** Every item, page after page of `limit`; and how many pages it took. */
async function all<T>(
  read: (after: number | undefined, limit: number) => Promise<RunPage<T>>,
  limit: number,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  for (let after: number | undefined; ;) {
    const page = await read(after, limit);
    pages += 1;
    items.push(...page.items);
    if (page.next === undefined) return { items, pages };
    after = page.next;
  }
}

describe.each(storeBackends)('a run read by pages ($name)', (backend) => {
  const { open } = useStoreBackend(backend);

  it('gives its endpoints, staged then merged findings, and summary as the whole reads do', async () => {
    const { store } = await open();
    await store.runs.begin(header);
    const hosts = ['a', 'b', 'c', 'd', 'e'].map((h) => `${h}.exemple.fr`);
    for (const host of hosts) {
      await store.runs.append('r1', {
        endpoints: [assessed(host, 443, { 'http.hsts.missing': 'fail' })],
        findings: [finding('http.hsts.missing', host, 443, { severity: 'medium' })],
      });
    }
    const endpoints = await all((a, l) => store.runs.endpointsPage('r1', a, l), 2);
    expect(endpoints.items.map((e) => e.host)).toEqual(hosts);
    expect(endpoints.pages).toBe(3);
    const staged = await all((a, l) => store.runs.stagedFindingsPage('r1', a, l), 2);
    expect(staged.items.map((f) => f.host)).toEqual(hosts);
    expect(await store.runs.summary('r1')).toBeUndefined();
    await store.runs.finish('r1', { finishedAt: '2026-12-01T10:05:00.000Z', onMerged: () => undefined });
    const run = await store.runs.get('r1');
    const findings = await all((a, l) => store.runs.findingsPage('r1', a, l), 2);
    expect(findings.items).toEqual(run?.findings);
    expect((await all((a, l) => store.runs.endpointsPage('r1', a, l), 5)).items).toEqual(run?.endpoints);
    const { endpoints: _e, findings: _f, ...summary } = run!;
    expect(await store.runs.summary('r1')).toEqual(summary);
    // A page exactly full says there may be more; the next one is empty and the last.
    expect((await store.runs.endpointsPage('r1', undefined, 5)).next).toBeDefined();
    expect(await store.runs.stagedFindingsPage('r1', undefined, 5)).toEqual({ items: [] });
  });
});
