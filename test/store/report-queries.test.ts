import { describe, expect, it } from 'vitest';
import type { Severity } from '../../src/domain/index.js';
import type { LatestEndpoint, Store, StoredEndpoint, StoredFindingInput } from '../../src/store/index.js';
import type { TrackedFinding } from '../../src/store/index.js';
import { storeBackends, useStoreBackend } from '../helpers/store-backends.js';
import { assessed, finding, run, T1, T2, T3 } from './store-fixtures.js';

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const sev = (i: number): Severity => SEVERITIES[i % 5] ?? 'high';
const OPEN = new Set(['new', 'open', 'regressed', 'waived']);

/** An estate whose hosts differ in case, whose findings share endpoints and checks, with and without key. */
function estate(
  hosts: number,
  dropEvery = 0,
): { endpoints: StoredEndpoint[]; findings: StoredFindingInput[] } {
  const endpoints: StoredEndpoint[] = [];
  const findings: StoredFindingInput[] = [];
  for (let i = 0; i < hosts; i++) {
    const host = i % 3 === 0 ? `Hôte-${i % 7}.Exemple.fr` : `h${i}.exemple.fr`;
    const port = 443 + (i % 2);
    if (endpoints.some((e) => e.host.toLowerCase() === host.toLowerCase() && e.port === port)) continue;
    endpoints.push({ ...assessed(host, port, { 'tls.a': 'fail', 'http.b': 'fail' }), facts: { n: i } });
    if (dropEvery > 0 && i % dropEvery === 0) continue;
    findings.push(finding('tls.a', host, port, { severity: sev(i) }));
    findings.push(finding('http.b', host, port, { severity: sev(i + 2), key: `k${i % 4}` }));
    if (i % 4 === 0) findings.push(finding('http.b', host, port, { severity: sev(i + 1), key: '' }));
  }
  return { endpoints, findings };
}

async function allPages(store: Store, now: string, limit: number): Promise<TrackedFinding[]> {
  const out: TrackedFinding[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await store.reportQueries.openFindingsPage(now, after, limit);
    out.push(...page.findings);
    if (page.next === undefined) return out;
    after = page.next;
  }
  throw new Error('no last page');
}

async function allEndpoints(store: Store, limit: number): Promise<LatestEndpoint[]> {
  const out: LatestEndpoint[] = [];
  let after: { host: string; port: number } | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await store.reportQueries.latestEndpointsPage(after, limit);
    out.push(...page);
    const last = page[page.length - 1];
    if (page.length < limit || !last) return out;
    after = { host: last.host, port: last.port };
  }
  throw new Error('no last page');
}

describe.each(storeBackends)('report queries of a large estate ($name)', (backend) => {
  const { open } = useStoreBackend(backend);

  async function seeded(): Promise<Store> {
    const { store } = await open();
    const first = estate(40);
    await store.runs.save(run('r1', T1, first.endpoints, first.findings));
    // The second run drops some findings (resolved) and brings others (new), on fewer endpoints.
    const second = estate(46, 5);
    await store.runs.save(run('r2', T2, second.endpoints.slice(6), second.findings.slice(10)));
    const target = (await store.findings.list({ now: T3, status: ['new', 'open'] }))[3];
    if (target)
      await store.waivers.waive(target.fingerprint, {
        reason: 'refonte en cours',
        until: '2025-06-01T00:00:00.000Z',
        by: 'rssi',
        at: T3,
      });
    return store;
  }

  it('pages through the open findings as findings.list gives them, in its order', async () => {
    const store = await seeded();
    const whole = (await store.findings.list({ now: T3 })).filter((f) => OPEN.has(f.status));
    expect(whole.length).toBeGreaterThan(40);
    expect(whole.some((f) => f.status === 'waived')).toBe(true);
    for (const limit of [1, 7, 50, whole.length, 10_000])
      expect(await allPages(store, T3, limit)).toEqual(whole);
  });

  it('reads every open finding and every latest endpoint through a cursor, in batches, in order', async () => {
    const store = await seeded();
    const findings = (await store.findings.list({ now: T3 })).filter((f) => OPEN.has(f.status));
    const endpoints = await store.runs.latestEndpoints();
    for (const batch of [1, 7, 10_000]) {
      const read: TrackedFinding[] = [];
      let batches = 0;
      await store.reportQueries.eachOpenFinding(T3, batch, (page) => {
        expect(page.length).toBeLessThanOrEqual(batch);
        batches += 1;
        read.push(...page);
      });
      expect(read).toEqual(findings);
      expect(batches).toBe(Math.ceil(findings.length / batch));
      const seen: LatestEndpoint[] = [];
      await store.reportQueries.eachLatestEndpoint(batch, (page) => seen.push(...page));
      expect(seen).toEqual(endpoints);
    }
    // The store is usable afterwards (the cursor is closed).
    expect(await store.reportQueries.latestEndpointCount()).toBe(endpoints.length);
  });

  it('gives no finding and no next page on an empty store', async () => {
    const { store } = await open();
    expect(await store.reportQueries.openFindingsPage(T3, undefined, 10)).toEqual({ findings: [] });
    expect(await store.reportQueries.latestEndpointsPage(undefined, 10)).toEqual([]);
    expect(await store.reportQueries.latestEndpointCount()).toBe(0);
  });

  it('counts the changes of a window and gives the head of each list, as changedBetween', async () => {
    const store = await seeded();
    for (const [from, limit] of [
      [T1, 5],
      [T2, 3],
      [T1, 1000],
    ] as const) {
      const whole = await store.findings.changedBetween(from, T3);
      const head = await store.reportQueries.changesHead(from, T3, limit);
      expect(head.counts).toEqual({
        new: whole.new.length,
        resolved: whole.resolved.length,
        regressed: whole.regressed.length,
      });
      expect(head.new).toEqual(whole.new.slice(0, limit));
      expect(head.resolved).toEqual(whole.resolved.slice(0, limit));
      expect(head.regressed).toEqual(whole.regressed.slice(0, limit));
    }
    expect((await store.reportQueries.changesHead(T1, T3, 5)).counts.resolved).toBeGreaterThan(0);
    const whole = await store.findings.changedBetween(T1, T3);
    for (const list of ['new', 'resolved', 'regressed'] as const) {
      const read: TrackedFinding[] = [];
      await store.reportQueries.eachChangedFinding(list, T1, T3, 4, (page) => read.push(...page));
      expect(read).toEqual(whole[list]);
    }
  });

  it('pages through the latest endpoints as latestEndpoints gives them, and counts them', async () => {
    const store = await seeded();
    const whole = await store.runs.latestEndpoints();
    expect(whole.length).toBeGreaterThan(20);
    expect(await store.reportQueries.latestEndpointCount()).toBe(whole.length);
    for (const limit of [1, 4, whole.length, 500]) expect(await allEndpoints(store, limit)).toEqual(whole);
  });
});
