import { describe, expect, it } from 'vitest';
import {
  MAX_WAIVER_DAYS,
  replacedWaiverEnd,
  validateUnwaive,
  validateWaiver,
  waiverDue,
  waiverLapse,
  waiverLapsesWithEvidence,
  WaiverError,
  type WaiverErrorCode,
} from '../../src/domain/index.js';

const AT = '2025-03-01T10:00:00.000Z';
const LATER = '2025-06-01T00:00:00.000Z';

function codeOf(fn: () => unknown): WaiverErrorCode | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof WaiverError) return error.code;
    throw error;
  }
  return undefined;
}

describe('validateWaiver', () => {
  const w = { reason: ' migration en cours ', until: '2025-12-31', by: ' rssi ', at: AT };

  it('accepts an open finding with a reason and an expiry within a year, normalised', () => {
    expect(validateWaiver('fp', { open: true }, w)).toEqual({
      reason: 'migration en cours',
      by: 'rssi',
      at: AT,
      until: '2025-12-31T00:00:00.000Z',
    });
  });

  it('names the rule a refused request breaks', () => {
    expect(codeOf(() => validateWaiver('fp', undefined, w))).toBe('unknown-finding');
    expect(codeOf(() => validateWaiver('fp', { open: false }, w))).toBe('resolved-finding');
    expect(codeOf(() => validateWaiver('fp', { open: true }, { ...w, reason: '  ' }))).toBe('empty-reason');
    expect(codeOf(() => validateWaiver('fp', { open: true }, { ...w, until: 'bientôt' }))).toBe(
      'invalid-date',
    );
    expect(codeOf(() => validateWaiver('fp', { open: true }, { ...w, until: AT }))).toBe('until-not-after');
    const tooFar = new Date(Date.parse(AT) + (MAX_WAIVER_DAYS + 1) * 86_400_000).toISOString();
    expect(codeOf(() => validateWaiver('fp', { open: true }, { ...w, until: tooFar }))).toBe('too-long');
  });
});

describe('waiver lapse', () => {
  it('lapses at its own expiry when that came first, else at the moment the evidence changed', () => {
    expect(waiverLapse({ until: AT }, LATER)).toEqual({ endedAt: AT, endReason: 'expired' });
    expect(waiverLapse({ until: LATER }, AT)).toEqual({ endedAt: AT, endReason: 'evidence-changed' });
  });

  it('is due at its expiry, not before', () => {
    expect(waiverDue({ until: AT }, AT)).toBe(true);
    expect(waiverDue({ until: LATER }, AT)).toBe(false);
  });

  it('lapses with other evidence only from the newest occurrence', () => {
    const waiver = { evidenceHash: 'h1' };
    expect(waiverLapsesWithEvidence(waiver, { newest: true, detailsHash: 'h2' })).toBe(true);
    expect(waiverLapsesWithEvidence(waiver, { newest: true, detailsHash: 'h1' })).toBe(false);
    expect(waiverLapsesWithEvidence(waiver, { newest: false, detailsHash: 'h2' })).toBe(false);
  });

  it('withdraws a waiver replaced while it still applies, lapses it otherwise', () => {
    expect(replacedWaiverEnd({ until: LATER, evidenceHash: 'h1' }, AT, 'h1')).toBe('withdraw');
    expect(replacedWaiverEnd({ until: LATER, evidenceHash: 'h1' }, AT, 'h2')).toBe('lapse');
    expect(replacedWaiverEnd({ until: AT, evidenceHash: 'h1' }, LATER, 'h1')).toBe('lapse');
  });
});

describe('validateUnwaive', () => {
  it('withdraws an active waiver not yet expired, trimming who and why', () => {
    expect(
      validateUnwaive(
        'fp',
        { findingExists: true, active: { until: LATER } },
        { by: ' dsi ', at: AT, reason: ' ok ' },
      ),
    ).toEqual({ at: AT, by: 'dsi', reason: 'ok' });
  });

  it('refuses a bad date, an unknown finding, no waiver, or an expired one', () => {
    const active = { until: LATER };
    expect(
      codeOf(() => validateUnwaive('fp', { findingExists: true, active }, { by: 'x', at: 'hier' })),
    ).toBe('invalid-date');
    expect(
      codeOf(() => validateUnwaive('fp', { findingExists: false, active: undefined }, { by: 'x', at: AT })),
    ).toBe('unknown-finding');
    expect(
      codeOf(() => validateUnwaive('fp', { findingExists: true, active: undefined }, { by: 'x', at: AT })),
    ).toBe('no-active-waiver');
    expect(
      codeOf(() =>
        validateUnwaive('fp', { findingExists: true, active: { until: AT } }, { by: 'x', at: LATER }),
      ),
    ).toBe('no-active-waiver');
  });
});
