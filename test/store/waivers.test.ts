import { describe, expect, it } from 'vitest';
import { ExitCode, StorageError } from '../../src/domain/index.js';
import { detailsHash, WaiverError } from '../../src/store/index.js';
import type { Store, WaiverErrorCode } from '../../src/store/index.js';
import { storeBackends, useStoreBackend } from '../helpers/store-backends.js';
import { assessed, finding, run, T1, T2, T3, T4, WWW } from './store-fixtures.js';

const expired = finding('tls.cert.expired', WWW, 443, { details: { notAfter: '2025-01-01' } });
const hsts = finding('http.hsts.missing', WWW, 443, { severity: 'medium' });
const failing = assessed(WWW, 443, { 'tls.cert.expired': 'fail', 'http.hsts.missing': 'fail' });

const AT = '2025-03-02T10:00:00.000Z';
const UNTIL = '2025-06-30T00:00:00.000Z';
const waiver = { reason: 'refonte du portail en cours', until: UNTIL, by: 'rssi', at: AT };

async function waiverErrorOf(fn: () => Promise<unknown>): Promise<WaiverError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WaiverError);
    return error as WaiverError;
  }
  throw new Error('expected a WaiverError');
}

describe.each(storeBackends)('waivers ($name)', (backend) => {
  const { open } = useStoreBackend(backend);

  /** A store where `expired` is open (seen in r1) and `hsts` was resolved by r2. */
  async function seeded(): Promise<Store> {
    const { store } = await open();
    await store.runs.save(run('r1', T1, [failing], [expired, hsts]));
    await store.runs.save(
      run(
        'r2',
        T2,
        [assessed(WWW, 443, { 'tls.cert.expired': 'fail', 'http.hsts.missing': 'pass' })],
        [expired],
      ),
    );
    return store;
  }

  describe('waive', () => {
    it('refuses what comply-or-explain does not allow, and writes nothing', async () => {
      const store = await seeded();
      const cases: [string, Parameters<Store['waivers']['waive']>[1], WaiverErrorCode][] = [
        ['inconnu', waiver, 'unknown-finding'],
        [hsts.fingerprint, waiver, 'resolved-finding'],
        [expired.fingerprint, { ...waiver, reason: '   ' }, 'empty-reason'],
        [expired.fingerprint, { ...waiver, until: '2025-02-01' }, 'until-not-after'],
        [expired.fingerprint, { ...waiver, until: AT }, 'until-not-after'],
        [expired.fingerprint, { ...waiver, until: '2026-03-03T10:00:00.001Z' }, 'too-long'],
        [expired.fingerprint, { ...waiver, until: 'bientôt' }, 'invalid-date'],
      ];
      for (const [fingerprint, w, code] of cases) {
        const error = await waiverErrorOf(() => store.waivers.waive(fingerprint, w));
        expect(error.code).toBe(code);
        expect(error.exitCode).toBe(ExitCode.Usage);
      }
      expect(
        (
          await waiverErrorOf(() =>
            store.waivers.waive(expired.fingerprint, { ...waiver, until: '2027-01-01' }),
          )
        ).message,
      ).toMatch(/au plus un an/);
      expect(await store.waivers.list()).toEqual([]);
      expect((await store.findings.timeline(expired.fingerprint)).map((e) => e.kind)).not.toContain('waived');
    });

    it('accepts an expiry exactly 366 days later', async () => {
      const store = await seeded();
      const w = await store.waivers.waive(expired.fingerprint, { ...waiver, until: '2026-03-03T10:00:00Z' });
      expect(w.until).toBe('2026-03-03T10:00:00.000Z');
    });

    it('waives an open finding for its current evidence, and logs it', async () => {
      const store = await seeded();
      const w = await store.waivers.waive(expired.fingerprint, {
        ...waiver,
        reason: '  ' + waiver.reason + ' ',
      });
      expect(w).toEqual({
        fingerprint: expired.fingerprint,
        reason: waiver.reason,
        until: UNTIL,
        by: 'rssi',
        waivedAt: AT,
        evidenceHash: detailsHash(expired.details),
        state: 'active',
      });
      expect(await store.findings.getTracked(expired.fingerprint, AT)).toMatchObject({
        status: 'waived',
        waiver: w,
      });
      expect((await store.findings.list({ now: AT, status: ['waived'] })).map((f) => f.fingerprint)).toEqual([
        expired.fingerprint,
      ]);
      // Still an open finding for everything else.
      expect((await store.findings.listOpen()).map((f) => f.fingerprint)).toEqual([expired.fingerprint]);
      expect(await store.findings.list({ now: AT, status: ['open', 'new'] })).toEqual([]);
      expect((await store.findings.timeline(expired.fingerprint)).at(-1)).toEqual({
        at: AT,
        kind: 'waived',
        detail: `rssi: ${waiver.reason}`,
      });
      expect(await store.waivers.list()).toEqual([
        { ...w, checkId: 'tls.cert.expired', host: WWW, port: 443 },
      ]);
    });

    it('withdraws the active waiver it replaces', async () => {
      const store = await seeded();
      await store.waivers.waive(expired.fingerprint, waiver);
      const later = '2025-03-10T10:00:00.000Z';
      const second = await store.waivers.waive(expired.fingerprint, {
        reason: 'prolongée',
        until: '2025-09-01',
        by: 'dsi',
        at: later,
      });
      expect((await store.waivers.list()).map((w) => [w.reason, w.state, w.endReason, w.endedAt])).toEqual([
        ['prolongée', 'active', undefined, undefined],
        [waiver.reason, 'withdrawn', 'unwaived', later],
      ]);
      expect((await store.waivers.list({ state: ['active'] })).map((w) => w.reason)).toEqual(['prolongée']);
      expect((await store.findings.getTracked(expired.fingerprint, later))?.waiver).toEqual(second);
      expect(
        (await store.findings.timeline(expired.fingerprint))
          .filter((e) => e.at === later)
          .map((e) => [e.kind, e.detail]),
      ).toEqual([
        ['unwaived', 'dsi: remplacée par une nouvelle dérogation'],
        ['waived', 'dsi: prolongée'],
      ]);
    });
  });

  describe('waiver lapse', () => {
    it('stops applying at its expiry, and expireWaivers lapses it once', async () => {
      const store = await seeded();
      await store.waivers.waive(expired.fingerprint, waiver);
      const before = '2025-06-29T23:59:59.999Z';
      const after = '2025-07-01T00:00:00.000Z';
      expect((await store.findings.getTracked(expired.fingerprint, before))?.status).toBe('waived');
      // Expired but not yet lapsed: not in force any more.
      const stale = await store.findings.getTracked(expired.fingerprint, UNTIL);
      expect(stale?.status).toBe('open');
      expect(stale?.waiver).toBeUndefined();

      expect(await store.waivers.expire(before)).toEqual([]);
      const lapsed = await store.waivers.expire(after);
      expect(lapsed).toEqual([
        expect.objectContaining({
          state: 'lapsed',
          endReason: 'expired',
          endedAt: UNTIL,
          reason: waiver.reason,
        }),
      ]);
      expect(await store.waivers.expire(after)).toEqual([]);
      expect(await store.waivers.list({ state: ['active'] })).toEqual([]);
      expect(await store.waivers.list({ state: ['lapsed'] })).toHaveLength(1);
      expect((await store.findings.timeline(expired.fingerprint)).at(-1)).toEqual({
        at: UNTIL,
        kind: 'waiver-lapsed',
        detail: 'expired',
      });
    });

    it('lapses when a run sees other evidence, and holds while the evidence is the same', async () => {
      const store = await seeded();
      await store.waivers.waive(expired.fingerprint, waiver);
      const now = '2025-03-05T12:00:00.000Z';
      await store.runs.save(run('r3', T3, [failing], [expired]));
      expect((await store.findings.getTracked(expired.fingerprint, now))?.status).toBe('waived');

      await store.runs.save(run('r4', T4, [failing], [{ ...expired, details: { notAfter: '2024-12-01' } }]));
      expect(await store.findings.getTracked(expired.fingerprint, now)).toMatchObject({ status: 'open' });
      expect(await store.waivers.list()).toEqual([
        expect.objectContaining({ state: 'lapsed', endReason: 'evidence-changed', endedAt: T4 }),
      ]);
      expect(
        (await store.findings.timeline(expired.fingerprint)).filter((e) => e.at === T4).map((e) => e.kind),
      ).toEqual(['seen', 'evidence-changed', 'waiver-lapsed']);
    });

    it('applies again when a resolved finding comes back with the same evidence', async () => {
      const store = await seeded();
      await store.waivers.waive(expired.fingerprint, waiver);
      await store.runs.save(run('r3', T3, [assessed(WWW, 443, { 'tls.cert.expired': 'pass' })], []));
      expect(await store.findings.getTracked(expired.fingerprint, T3)).toMatchObject({ status: 'resolved' });
      await store.runs.save(run('r4', T4, [failing], [expired]));
      expect((await store.findings.getTracked(expired.fingerprint, T4))?.status).toBe('waived');
    });
  });

  describe('unwaive', () => {
    it('withdraws the active waiver and logs who and why', async () => {
      const store = await seeded();
      await store.waivers.waive(expired.fingerprint, waiver);
      const at = '2025-04-01T09:00:00.000Z';
      const w = await store.waivers.unwaive(expired.fingerprint, {
        by: 'dsi',
        at,
        reason: 'risque réévalué',
      });
      expect(w).toMatchObject({ state: 'withdrawn', endReason: 'unwaived', endedAt: at });
      expect((await store.findings.getTracked(expired.fingerprint, at))?.status).toBe('open');
      expect((await store.findings.timeline(expired.fingerprint)).at(-1)).toEqual({
        at,
        kind: 'unwaived',
        detail: 'dsi: risque réévalué',
      });
      expect(
        (await waiverErrorOf(() => store.waivers.unwaive(expired.fingerprint, { by: 'dsi', at }))).code,
      ).toBe('no-active-waiver');
      expect((await waiverErrorOf(() => store.waivers.unwaive('inconnu', { by: 'dsi', at }))).code).toBe(
        'unknown-finding',
      );
    });

    it('has nothing to withdraw once the waiver has expired', async () => {
      const store = await seeded();
      await store.waivers.waive(expired.fingerprint, waiver);
      const error = await waiverErrorOf(() =>
        store.waivers.unwaive(expired.fingerprint, { by: 'dsi', at: '2025-08-01' }),
      );
      expect(error.code).toBe('no-active-waiver');
      expect(await store.waivers.list({ state: ['active'] })).toHaveLength(1);
    });
  });

  describe('storage failures', () => {
    it('wraps a failure of a waiver write in a StorageError', async () => {
      const store = await seeded();
      await store.close();
      await expect(store.waivers.waive(expired.fingerprint, waiver)).rejects.toThrow(StorageError);
      await expect(store.waivers.list()).rejects.toThrow(StorageError);
    });
  });
});
