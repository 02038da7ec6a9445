import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTlsProfiles, selectTlsProfile } from '../../src/config/index.js';
import { evaluateTlsProfile, unobservedTlsProfileObservation } from '../../src/grading/index.js';

const DIR = fileURLToPath(new URL('../../checks/profiles/', import.meta.url));
const loaded = loadTlsProfiles(DIR);
const profiles = loaded.map((l) => l.profile);

describe('the profile files and their own cases', () => {
  it('ship ANSSI and Mozilla modern / intermediate / old for guidelines 5.7 and 5.8', () => {
    expect(profiles.map((p) => `${p.id}@${p.version}`).sort()).toEqual([
      'anssi-2030@1.2',
      'anssi@1.2',
      'mozilla-intermediate@5.7',
      'mozilla-intermediate@5.8',
      'mozilla-modern@5.7',
      'mozilla-modern@5.8',
      'mozilla-old@5.7',
      'mozilla-old@5.8',
    ]);
  });

  for (const { profile, cases } of loaded) {
    describe(`${profile.id}@${profile.version}`, () => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        const r = evaluateTlsProfile(profile, c.observation);
        expect(r.conformant).toBe(c.expect.conformant);
        if (c.expect.violations)
          expect(r.violations.map((v) => v.rule).sort()).toEqual([...c.expect.violations].sort());
        if (c.expect.conformant === true) expect(r.notEvaluated).toEqual([]);
      });
    });
  }
});

describe('what 5.8 changed from 5.7 (as the guidelines files say)', () => {
  const get = (ref: string) => {
    const p = selectTlsProfile(profiles, ref);
    if (!p) throw new Error(ref);
    return p;
  };
  it('removes the DHE suites from intermediate and old', () => {
    for (const name of ['mozilla-intermediate', 'mozilla-old']) {
      expect(get(`${name}@5.7`).rules.suites.some((s) => s.startsWith('TLS_DHE_'))).toBe(true);
      expect(get(`${name}@5.8`).rules.suites.some((s) => s.startsWith('TLS_DHE_'))).toBe(false);
    }
  });
  it('moves old’s DH minimum from 1024 to 2048 bits and adds X25519MLKEM768 to every group list', () => {
    expect(get('mozilla-old@5.7').rules.minDhBits).toBe(1024);
    expect(get('mozilla-old@5.8').rules.minDhBits).toBe(2048);
    for (const name of ['mozilla-modern', 'mozilla-intermediate', 'mozilla-old']) {
      expect(get(`${name}@5.7`).rules.groups).not.toContain('X25519MLKEM768');
      expect(get(`${name}@5.8`).rules.groups).toContain('X25519MLKEM768');
    }
  });
  it('picks the newest version when none is named, and nothing for an unknown one', () => {
    expect(get('mozilla-modern').version).toBe('5.8');
    expect(selectTlsProfile(profiles, 'mozilla-modern@4.0')).toBeUndefined();
    expect(selectTlsProfile(profiles, 'nist')).toBeUndefined();
  });
});

describe('evaluateTlsProfile', () => {
  it('never counts an endpoint whose TLS was not observed as conformant', () => {
    for (const p of profiles) {
      const r = evaluateTlsProfile(p, unobservedTlsProfileObservation(true));
      expect(r.conformant).toBeNull();
      expect(r.notEvaluated).toContain('versions');
    }
  });
  it('lists every violation with what was observed, and the degraded suites apart', () => {
    const anssi = selectTlsProfile(profiles, 'anssi');
    const c = loaded.find((l) => l.profile.id === 'anssi')?.cases[0];
    if (!anssi || !c) throw new Error('anssi');
    const r = evaluateTlsProfile(anssi, {
      ...c.observation,
      versions: ['tls1.0', 'tls1.2'],
      suites: ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 'TLS_RSA_WITH_AES_128_CBC_SHA'],
      dhBits: 1024,
    });
    expect(r.conformant).toBe(false);
    expect(r.violations).toEqual([
      { rule: 'versions', observed: 'TLS 1.0' },
      { rule: 'suites', observed: 'TLS_RSA_WITH_AES_128_CBC_SHA' },
      { rule: 'forward-secrecy', observed: 'TLS_RSA_WITH_AES_128_CBC_SHA' },
      { rule: 'dh-size', observed: '1024 bits' },
    ]);
    expect(r.degraded).toEqual(['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384']);
  });
});
