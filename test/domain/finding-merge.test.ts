import { describe, expect, it } from 'vitest';
import { detailsHash, mergeFinding } from '../../src/domain/index.js';
import type { FindingRecord, KnownFinding, StoredFindingInput } from '../../src/domain/index.js';

const T1 = '2025-03-01T02:00:00.000Z';
const T2 = '2025-03-02T02:00:00.000Z';
const T3 = '2025-03-03T02:00:00.000Z';

const input = (details: StoredFindingInput['details'] = { days: 3 }): StoredFindingInput => ({
  fingerprint: 'fp1',
  checkId: 'tls.cert.expiring',
  severity: 'high',
  category: 'tls',
  host: 'www.exemple.fr',
  port: 443,
  details,
});

function known(
  record: Partial<FindingRecord>,
  state: Partial<Omit<KnownFinding, 'record'>> = {},
): KnownFinding {
  const base: FindingRecord = {
    ...input(),
    firstSeen: T1,
    lastSeen: T1,
    lastRunId: 'r1',
    open: true,
    ...record,
  };
  return {
    record: base,
    closedAt: null,
    closedRunId: null,
    regressedAt: null,
    detailsHash: detailsHash(base.details),
    ...state,
  };
}

describe('mergeFinding', () => {
  it('opens a finding never seen, first and last seen in this run', () => {
    const m = mergeFinding(undefined, input(), 'r1', T1);
    expect(m.record).toMatchObject({ firstSeen: T1, lastSeen: T1, lastRunId: 'r1', open: true });
    expect(m).toMatchObject({ firstSeen: true, regressed: false, newest: true, evidenceChanged: false });
    expect(m.detailsHash).toBe(detailsHash({ days: 3 }));
  });

  it('keeps an open finding open and moves lastSeen on, noting other evidence', () => {
    const m = mergeFinding(known({}), input({ days: 2 }), 'r2', T2);
    expect(m.record).toMatchObject({
      firstSeen: T1,
      lastSeen: T2,
      lastRunId: 'r2',
      open: true,
      details: { days: 2 },
    });
    expect(m).toMatchObject({ firstSeen: false, regressed: false, newest: true, evidenceChanged: true });
    expect(mergeFinding(known({}), input(), 'r2', T2).evidenceChanged).toBe(false);
  });

  it('regresses a closed finding seen again in a run at least as recent as the closing one', () => {
    const closed = known({ open: false, closedAt: T2 }, { closedAt: T2, closedRunId: 'r2' });
    const m = mergeFinding(closed, input(), 'r3', T3);
    expect(m.regressed).toBe(true);
    expect(m.record).toMatchObject({ open: true, regressedAt: T3, lastSeen: T3 });
    expect(m.record.closedAt).toBeUndefined();
    expect(m).toMatchObject({ closedAt: null, closedRunId: null, regressedAt: T3 });
  });

  it('does not reopen a finding closed by a newer run when an older run is saved late', () => {
    const closed = known({ open: false, closedAt: T3 }, { closedAt: T3, closedRunId: 'r3' });
    const m = mergeFinding(closed, input({ days: 9 }), 'r2', T2);
    expect(m.regressed).toBe(false);
    expect(m.record).toMatchObject({ open: false, closedAt: T3, lastSeen: T2 });
    expect(m).toMatchObject({ closedAt: T3, closedRunId: 'r3' });
  });

  it('lets an older run move firstSeen back without touching the newer evidence or state', () => {
    const current = known({ firstSeen: T2, lastSeen: T3, lastRunId: 'r3', details: { days: 1 } });
    const m = mergeFinding(current, input({ days: 9 }), 'r1', T1);
    expect(m.record).toMatchObject({ firstSeen: T1, lastSeen: T3, lastRunId: 'r3', details: { days: 1 } });
    expect(m).toMatchObject({
      firstSeenMovedBack: true,
      newest: false,
      evidenceChanged: false,
      regressed: false,
    });
    expect(m.detailsHash).toBe(current.detailsHash);
  });
});
