import { describe, expect, it } from 'vitest';
import { SCORING_VERSION } from '../../src/domain/index.js';
import {
  HTTP_SCORING_VERSION,
  POSTURE_SCORING_VERSION,
  TLS_SCORING_VERSION,
} from '../../src/grading/index.js';

/**
 * Each scoring version a run has carried (`run.scoringVersion`, stored with every run and printed
 * in every report), with the grade rules it stands for. A grade whose rules change gets a new
 * version, and the run a new one: a history mixing both must not look comparable.
 */
const RELEASED: Record<string, { http: string; tls: string; posture: string }> = {
  '2026.11-1': { http: 'observatory-4+vigie-1', tls: 'ssllabs-2009r+vigie-1', posture: 'vigie-posture-1' },
  // Observatory algorithm 6 (COOP, COEP, SRI, <meta> policies); TLS and posture grades "not evaluated" for a failed family.
  '2026.12-1': { http: 'observatory-6+vigie-2', tls: 'ssllabs-2009r+vigie-2', posture: 'vigie-posture-2' },
  // The redirection test scored from the host's port 80 when the scan observed it.
  '2026.12-2': { http: 'observatory-6+vigie-3', tls: 'ssllabs-2009r+vigie-2', posture: 'vigie-posture-2' },
};

describe('scoring versions', () => {
  it('names, in the run’s version, the grade versions it ships', () => {
    expect(RELEASED[SCORING_VERSION]).toEqual({
      http: HTTP_SCORING_VERSION,
      tls: TLS_SCORING_VERSION,
      posture: POSTURE_SCORING_VERSION,
    });
  });

  it('never gives two sets of rules the same run version', () => {
    const sets = Object.values(RELEASED).map((r) => JSON.stringify(r));
    expect(new Set(sets).size).toBe(sets.length);
  });
});
