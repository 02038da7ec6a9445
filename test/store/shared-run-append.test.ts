import { describe, expect, it } from 'vitest';
import { storeBackends, useStoreBackend } from '../helpers/store-backends.js';
import { assessed, finding } from './store-fixtures.js';

const T1 = '2026-12-01T10:00:00.000Z';
const header = { id: 'r1', startedAt: T1, scoringVersion: '2025.1', targets: ['inventory'] };
const web = (host: string, verdict: 'pass' | 'fail') => assessed(host, 443, { 'http.hsts.missing': verdict });
const hsts = (host: string) => finding('http.hsts.missing', host, 443, { severity: 'medium' });

describe.each(storeBackends)('a run appended to by several processes ($name)', (backend) => {
  const { open } = useStoreBackend(backend);

  it('takes appends from a process that did not begin it, and an endpoint appended again replaces its row', async () => {
    const opened = await open();
    await opened.store.runs.begin(header);
    await opened.store.runs.append('r1', {
      endpoints: [web('a.exemple.fr', 'fail')],
      findings: [hsts('a.exemple.fr')],
    });
    // Another process (a worker): the same data, opened again.
    const worker = await opened.reopen();
    await worker.runs.append('r1', { endpoints: [web('b.exemple.fr', 'pass')], findings: [] });
    // A host job retried: its endpoint again, with the other case of the host name.
    await worker.runs.append('r1', {
      endpoints: [web('A.exemple.fr', 'fail')],
      findings: [hsts('a.exemple.fr')],
    });
    const records = await worker.runs.finish('r1', { finishedAt: '2026-12-01T10:05:00.000Z' });
    expect(records.map((r) => r.host)).toEqual(['a.exemple.fr']);
    const run = await worker.runs.get('r1');
    expect(run?.endpoints.map((e) => `${e.host}:${e.port}`).sort()).toEqual([
      'A.exemple.fr:443',
      'b.exemple.fr:443',
    ]);
    expect((await worker.runs.list())[0]).toMatchObject({ endpointCount: 2, findingCount: 1 });
  });

  it('refuses an append to a run that is not running', async () => {
    const { store } = await open();
    await expect(
      store.runs.append('nope', { endpoints: [web('a.exemple.fr', 'pass')], findings: [] }),
    ).rejects.toThrow(/nope/);
  });
});
