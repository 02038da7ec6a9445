import { describe, expect, it } from 'vitest';
import { findingStatus, waiverInForce } from '../../src/domain/index.js';
import type { FindingRecord, Waiver } from '../../src/domain/index.js';

const T1 = '2025-03-01T02:00:00.000Z';
const T2 = '2025-03-02T02:00:00.000Z';
const T3 = '2025-03-03T02:00:00.000Z';

const record = (r: Partial<FindingRecord>): FindingRecord => ({
  fingerprint: 'fp1',
  checkId: 'http.hsts.missing',
  severity: 'medium',
  category: 'http',
  host: 'www.exemple.fr',
  port: 443,
  details: {},
  firstSeen: T1,
  lastSeen: T2,
  lastRunId: 'r2',
  open: true,
  ...r,
});

const waiver: Waiver = {
  fingerprint: 'fp1',
  reason: 'migration prévue',
  until: T3,
  by: 'rssi',
  waivedAt: T1,
  evidenceHash: 'h1',
  state: 'active',
};

describe('findingStatus', () => {
  it('says new for a finding seen in a single run, open once seen again', () => {
    expect(findingStatus(record({ lastSeen: T1 }), false)).toBe('new');
    expect(findingStatus(record({}), false)).toBe('open');
  });

  it('says resolved once closed, even under a waiver', () => {
    expect(findingStatus(record({ open: false }), true)).toBe('resolved');
  });

  it('says waived for an open finding under a waiver in force, before regressed', () => {
    expect(findingStatus(record({ regressedAt: T2 }), true)).toBe('waived');
    expect(findingStatus(record({ regressedAt: T2 }), false)).toBe('regressed');
  });

  it('does not call regressed a finding whose regression predates a moved-back first sighting', () => {
    expect(findingStatus(record({ firstSeen: T2, regressedAt: T1, lastSeen: T3 }), false)).toBe('open');
  });
});

describe('waiverInForce', () => {
  it('applies while active, before its expiry, for the evidence it was given for', () => {
    expect(waiverInForce(waiver, 'h1', T2)).toBe(true);
    expect(waiverInForce(waiver, 'h1', T3)).toBe(false);
    expect(waiverInForce(waiver, 'h2', T2)).toBe(false);
    expect(waiverInForce({ ...waiver, state: 'withdrawn' }, 'h1', T2)).toBe(false);
  });
});
