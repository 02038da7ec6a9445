import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/domain/index.js';
import type { PostureIndex } from '../../src/domain/index.js';
import { storeBackends, useStoreBackend, type StoreBackend } from '../helpers/store-backends.js';
import { assessed, finding, run, T1, T2, T3, T4, T5, WWW } from './store-fixtures.js';

const expired = finding('tls.cert.expired', WWW, 443, { details: { notAfter: '2025-01-01' } });
const hsts = finding('http.hsts.missing', WWW, 443, { severity: 'medium' });

const failing = assessed(WWW, 443, { 'tls.cert.expired': 'fail', 'http.hsts.missing': 'fail' });
const fixedCert = assessed(WWW, 443, { 'tls.cert.expired': 'pass', 'http.hsts.missing': 'fail' });

describe.each(storeBackends)('the store ($name)', (backend: StoreBackend) => {
  const opened = useStoreBackend(backend);
  const open = async () => (await opened.open()).store;

  describe('finding lifecycle', () => {
    it('goes new → open → resolved → regressed, keeping firstSeen and logging each step', async () => {
      const store = await open();
      await store.runs.save(run('r1', T1, [failing], [expired, hsts]));
      expect((await store.findings.getTracked(expired.fingerprint, T1))?.status).toBe('new');

      await store.runs.save(run('r2', T2, [failing], [expired, hsts]));
      expect((await store.findings.getTracked(expired.fingerprint, T2))?.status).toBe('open');

      await store.runs.save(run('r3', T3, [fixedCert], [hsts]));
      expect(await store.findings.getTracked(expired.fingerprint, T3)).toMatchObject({
        status: 'resolved',
        open: false,
        closedAt: T3,
        firstSeen: T1,
        lastSeen: T2,
      });

      const [back] = await store.runs.save(run('r4', T4, [failing], [expired, hsts]));
      expect(back).toMatchObject({ open: true, firstSeen: T1, lastSeen: T4, regressedAt: T4 });
      expect(back?.closedAt).toBeUndefined();
      expect(await store.findings.getTracked(expired.fingerprint, T4)).toMatchObject({
        status: 'regressed',
        firstSeen: T1,
        regressedAt: T4,
      });

      // Still regressed while it stays open; resolved again once fixed.
      await store.runs.save(run('r5', T5, [failing], [expired, hsts]));
      expect((await store.findings.getTracked(expired.fingerprint, T5))?.status).toBe('regressed');
      expect((await store.findings.listOpen()).map((f) => f.fingerprint)).toContain(expired.fingerprint);

      expect(await store.findings.timeline(expired.fingerprint)).toEqual([
        { at: T1, kind: 'first-seen', runId: 'r1' },
        { at: T1, kind: 'seen', runId: 'r1' },
        { at: T2, kind: 'seen', runId: 'r2' },
        { at: T3, kind: 'resolved', runId: 'r3' },
        { at: T4, kind: 'regressed', runId: 'r4' },
        { at: T4, kind: 'seen', runId: 'r4' },
        { at: T5, kind: 'seen', runId: 'r5' },
      ]);
      // hsts was never closed: its timeline is its appearance and its occurrences.
      expect((await store.findings.timeline(hsts.fingerprint)).map((e) => e.kind)).toEqual([
        'first-seen',
        'seen',
        'seen',
        'seen',
        'seen',
        'seen',
      ]);
      expect(await store.findings.timeline('inconnu')).toEqual([]);
    });

    it('keeps findings open when their endpoint could not be assessed or their check did not run', async () => {
      const store = await open();
      await store.runs.save(run('r1', T1, [failing], [expired, hsts]));
      await store.runs.save(
        run(
          'r2',
          T2,
          [
            {
              host: WWW,
              port: 443,
              status: 'timeout',
              reason: 'timeout',
              checks: { 'tls.cert.expired': 'pass', 'http.hsts.missing': 'pass' },
            },
          ],
          [],
        ),
      );
      await store.runs.save(run('r3', T3, [assessed(WWW, 443, { 'tls.cert.expired': 'error' })], []));
      const found = await store.findings.list({ now: T3 });
      expect(found.map((f) => [f.checkId, f.open, f.status])).toEqual([
        ['tls.cert.expired', true, 'new'],
        ['http.hsts.missing', true, 'new'],
      ]);
      expect((await store.findings.timeline(expired.fingerprint)).map((e) => e.kind)).toEqual([
        'first-seen',
        'seen',
      ]);
    });

    it('logs an evidence change, with what changed, and nothing when the evidence is the same', async () => {
      const store = await open();
      await store.runs.save(run('r1', T1, [failing], [expired]));
      await store.runs.save(run('r2', T2, [failing], [{ ...expired, details: { notAfter: '2025-01-01' } }]));
      await store.runs.save(
        run('r3', T3, [failing], [{ ...expired, details: { notAfter: '2025-02-01', chain: 2 } }]),
      );
      const changes = (await store.findings.timeline(expired.fingerprint)).filter(
        (e) => e.kind === 'evidence-changed',
      );
      expect(changes).toEqual([
        {
          at: T3,
          kind: 'evidence-changed',
          runId: 'r3',
          detail: 'chain: ∅ → 2; notAfter: 2025-01-01 → 2025-02-01',
        },
      ]);
      // Key order does not count as a change.
      await store.runs.save(
        run('r4', T4, [failing], [{ ...expired, details: { chain: 2, notAfter: '2025-02-01' } }]),
      );
      expect(
        (await store.findings.timeline(expired.fingerprint)).filter((e) => e.kind === 'evidence-changed'),
      ).toHaveLength(1);
    });

    it('moves the first-seen event back when an older run is saved late, without reopening anything', async () => {
      const store = await open();
      await store.runs.save(run('r2', T2, [failing], [expired]));
      await store.runs.save(run('r3', T3, [fixedCert], []));
      await store.runs.save(run('r1', T1, [failing], [{ ...expired, details: { notAfter: 'ancien' } }]));
      expect(await store.findings.getTracked(expired.fingerprint, T3)).toMatchObject({
        status: 'resolved',
        firstSeen: T1,
        lastSeen: T2,
        details: expired.details,
      });
      expect(await store.findings.timeline(expired.fingerprint)).toEqual([
        { at: T1, kind: 'first-seen', runId: 'r1' },
        { at: T1, kind: 'seen', runId: 'r1' },
        { at: T2, kind: 'seen', runId: 'r2' },
        { at: T3, kind: 'resolved', runId: 'r3' },
      ]);
    });
  });

  describe('listFindings', () => {
    it('filters by status, severity, host, check and asset; most severe first', async () => {
      const store = await open();
      const api = finding('tls.cert.expired', 'api.exemple.fr', 443, {
        severity: 'critical',
        assetId: 'api',
      });
      const cookie = finding('http.cookie.insecure', WWW, 443, {
        key: 'sid',
        severity: 'low',
        assetId: 'portail',
      });
      const www = { ...expired, assetId: 'portail' };
      const endpoints = [
        assessed(WWW, 443, { 'tls.cert.expired': 'fail', 'http.cookie.insecure': 'fail' }),
        assessed('api.exemple.fr', 443, { 'tls.cert.expired': 'fail' }),
      ];
      await store.runs.save(run('r1', T1, endpoints, [www, cookie, api]));
      await store.runs.save(
        run(
          'r2',
          T2,
          [
            assessed(WWW, 443, { 'tls.cert.expired': 'fail', 'http.cookie.insecure': 'pass' }),
            assessed('api.exemple.fr', 443, { 'tls.cert.expired': 'fail' }),
          ],
          [www, api],
        ),
      );
      const status = (s: Awaited<ReturnType<typeof store.findings.list>>) =>
        s.map((f) => [f.checkId, f.host, f.status]);

      expect(status(await store.findings.list({ now: T2 }))).toEqual([
        ['tls.cert.expired', 'api.exemple.fr', 'open'],
        ['tls.cert.expired', WWW, 'open'],
        ['http.cookie.insecure', WWW, 'resolved'],
      ]);
      expect(status(await store.findings.list({ now: T2, status: ['resolved'] }))).toEqual([
        ['http.cookie.insecure', WWW, 'resolved'],
      ]);
      expect(await store.findings.list({ now: T2, status: ['open', 'new'] })).toHaveLength(2);
      expect(await store.findings.list({ now: T2, status: ['new'] })).toEqual([]);
      expect(status(await store.findings.list({ now: T2, host: 'WWW.EXEMPLE.FR' }))).toEqual([
        ['tls.cert.expired', WWW, 'open'],
        ['http.cookie.insecure', WWW, 'resolved'],
      ]);
      expect(
        (await store.findings.list({ now: T2, severity: ['critical'] })).map((f) => f.fingerprint),
      ).toEqual([api.fingerprint]);
      expect(
        await store.findings.list({ now: T2, checkId: 'tls.cert.expired', assetIds: ['portail'] }),
      ).toEqual([{ ...www, firstSeen: T1, lastSeen: T2, lastRunId: 'r2', open: true, status: 'open' }]);
      expect(await store.findings.list({ now: T2, assetIds: ['portail', 'api'] })).toHaveLength(3);
      expect(await store.findings.list({ now: T2, assetIds: [] })).toEqual([]);
      expect(await store.findings.list({ now: T2, severity: [] })).toEqual([]);
      expect(await store.findings.list({ now: T2, status: [] })).toEqual([]);
      await expect(store.findings.list({ now: 'hier' })).rejects.toThrow(UsageError);
    });
  });

  describe('findingsChangedBetween', () => {
    it('lists what was first seen, resolved and regressed by runs started within the window', async () => {
      const store = await open();
      await store.runs.save(run('r1', T1, [failing], [expired]));
      await store.runs.save(run('r2', T2, [fixedCert], [hsts]));
      await store.runs.save(run('r3', T3, [failing], [expired, hsts]));
      await store.runs.save(run('r4', T4, [assessed(WWW, 443, { 'http.hsts.missing': 'pass' })], [expired]));

      const ids = (c: Awaited<ReturnType<typeof store.findings.changedBetween>>) => ({
        new: c.new.map((f) => f.checkId),
        resolved: c.resolved.map((f) => f.checkId),
        regressed: c.regressed.map((f) => f.checkId),
      });
      expect(ids(await store.findings.changedBetween(T1, T1))).toEqual({
        new: ['tls.cert.expired'],
        resolved: [],
        regressed: [],
      });
      expect(ids(await store.findings.changedBetween(T2, T3))).toEqual({
        new: ['http.hsts.missing'],
        resolved: ['tls.cert.expired'],
        regressed: ['tls.cert.expired'],
      });
      const window = await store.findings.changedBetween('2025-03-03T12:00:00Z', T5);
      expect(ids(window)).toEqual({ new: [], resolved: ['http.hsts.missing'], regressed: [] });
      // Statuses are those at the end of the window.
      expect(window.resolved[0]?.status).toBe('resolved');
      expect((await store.findings.changedBetween(T2, T3)).regressed[0]?.status).toBe('regressed');
      expect(ids(await store.findings.changedBetween(T5, '2025-04-01T00:00:00Z'))).toEqual({
        new: [],
        resolved: [],
        regressed: [],
      });
    });
  });

  describe('runs, endpoints and reports', () => {
    const posture: PostureIndex = {
      scoringVersion: '2025.1',
      index: 72.5,
      endpoints: 2,
      unassessed: 1,
      partial: 0,
      byOwner: [{ owner: 'DSI', index: 72.5, endpoints: 2 }],
      byAsset: [{ assetId: 'portail', index: 72.5, endpoints: 2 }],
      byCategory: [{ category: 'tls', index: 60, endpoints: 2, unassessed: 0 }],
    };

    it('stores the posture of a run and the facts of its endpoints, read back as is', async () => {
      const store = await open();
      const facts = {
        tls: { protocols: ['TLSv1.2'], certificate: { notAfter: '2025-04-01T00:00:00.000Z' }, grade: 'B' },
        http: { grade: 'C', score: 55 },
      };
      await store.runs.save({ ...run('r1', T1, [{ ...failing, facts }], []), posture });
      await store.runs.save(run('r2', T2, [failing], []));
      expect((await store.runs.list()).map((r) => [r.id, r.posture])).toEqual([
        ['r2', undefined],
        ['r1', posture],
      ]);
      expect((await store.runs.get('r1'))?.endpoints).toEqual([{ ...failing, facts }]);
      expect((await store.runs.get('r2'))?.endpoints).toEqual([failing]);
    });

    it('gives, for each endpoint, its row in the most recent run that included it', async () => {
      const store = await open();
      const api = {
        host: 'api.exemple.fr',
        port: 443,
        status: 'assessed' as const,
        checks: {},
        facts: { n: 1 },
      };
      await store.runs.save(run('r1', T1, [{ ...failing, facts: { n: 1 } }, api], []));
      await store.runs.save(run('r2', T2, [{ ...fixedCert, host: 'WWW.exemple.fr', facts: { n: 2 } }], []));
      await store.runs.save(
        run(
          'r3',
          T3,
          [{ host: 'api.exemple.fr', port: 8443, status: 'timeout', reason: 'timeout', checks: {} }],
          [],
        ),
      );
      // Saved late: older than r2, so it does not replace it.
      await store.runs.save(run('r0', '2025-02-28T02:00:00.000Z', [{ ...failing, facts: { n: 0 } }], []));
      expect(await store.runs.latestEndpoints()).toEqual([
        { ...api, runId: 'r1', startedAt: T1 },
        {
          host: 'api.exemple.fr',
          port: 8443,
          status: 'timeout',
          reason: 'timeout',
          checks: {},
          runId: 'r3',
          startedAt: T3,
        },
        { ...fixedCert, host: 'WWW.exemple.fr', facts: { n: 2 }, runId: 'r2', startedAt: T2 },
      ]);
    });

    it('records reports and finds the previous one', async () => {
      const store = await open();
      expect(await store.reports.last()).toBeUndefined();
      await store.reports.record({ at: T1, format: 'md', postureIndex: 61.5 });
      await store.reports.record({ at: '2025-03-02T08:00:00+01:00', format: 'html' });
      await store.reports.record({ at: T3, format: 'json', postureIndex: 70 });
      expect(await store.reports.last()).toEqual({ at: T3, format: 'json', postureIndex: 70 });
      expect(await store.reports.last(T3)).toEqual({ at: '2025-03-02T07:00:00.000Z', format: 'html' });
      expect(await store.reports.last('2025-03-02T00:00:00Z')).toEqual({
        at: T1,
        format: 'md',
        postureIndex: 61.5,
      });
      expect(await store.reports.last(T1)).toBeUndefined();
      await expect(store.reports.record({ at: 'jamais', format: 'md' })).rejects.toThrow(UsageError);
      await expect(store.reports.record({ at: T4, format: 'md', postureIndex: NaN })).rejects.toThrow(
        UsageError,
      );
    });
  });
});
