import { describe, expect, it } from 'vitest';
import { closedByRun, closingChecks } from '../../src/domain/index.js';

const T1 = '2025-03-01T02:00:00.000Z';
const T2 = '2025-03-02T02:00:00.000Z';

describe('closingChecks', () => {
  it('lists the checks that ran (pass or fail) on an assessed endpoint', () => {
    expect(
      closingChecks({
        status: 'assessed',
        checks: { 'tls.a': 'pass', 'tls.b': 'fail', 'http.c': 'error', 'http.d': 'skipped' },
      }),
    ).toEqual(['tls.a', 'tls.b']);
  });

  it('closes nothing for an endpoint that could not be assessed, whatever its checks say', () => {
    expect(closingChecks({ status: 'timeout', checks: { 'tls.a': 'pass' } })).toEqual([]);
    expect(closingChecks({ status: 'error', checks: { 'tls.a': 'fail' } })).toEqual([]);
  });
});

describe('closedByRun', () => {
  it('closes an open finding last seen before the run', () => {
    expect(closedByRun({ open: true, lastSeen: T1 }, T2)).toBe(true);
  });

  it('keeps a finding seen in this run, or in a newer run saved earlier', () => {
    expect(closedByRun({ open: true, lastSeen: T2 }, T2)).toBe(false);
    expect(closedByRun({ open: true, lastSeen: T2 }, T1)).toBe(false);
  });

  it('does not close again what is already closed', () => {
    expect(closedByRun({ open: false, lastSeen: T1 }, T2)).toBe(false);
  });
});
