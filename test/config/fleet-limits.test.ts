import { describe, expect, it } from 'vitest';
import { fleetLimits, parseConfig } from '../../src/config/index.js';
import { InvalidFileError, UsageError } from '../../src/domain/index.js';

const base = 'organisation: { name: Commune }\n';

describe('fleet limits (distributed: of vigie.yml, VIGIE_FLEET_*)', () => {
  it('defaults to K = 8 connections per address and no global rate', () => {
    expect(fleetLimits({}, parseConfig(base, 'vigie.yml'))).toEqual({ maxPerTarget: 8 });
    expect(fleetLimits({})).toEqual({ maxPerTarget: 8 });
  });

  it('takes distributed: of vigie.yml, and the environment over it', () => {
    const config = parseConfig(`${base}distributed: { maxPerTarget: 3, rate: 20 }\n`, 'vigie.yml');
    expect(fleetLimits({}, config)).toEqual({ maxPerTarget: 3, ratePerSecond: 20 });
    expect(fleetLimits({ VIGIE_FLEET_MAX_PER_TARGET: '2', VIGIE_FLEET_RATE: '0.5' }, config)).toEqual({
      maxPerTarget: 2,
      ratePerSecond: 0.5,
    });
    expect(fleetLimits({ VIGIE_FLEET_MAX_PER_TARGET: ' ', VIGIE_FLEET_RATE: '' }, config)).toEqual({
      maxPerTarget: 3,
      ratePerSecond: 20,
    });
  });

  it('refuses a variable that is not a valid limit, naming it and what is expected', () => {
    for (const env of [
      { VIGIE_FLEET_MAX_PER_TARGET: '0' },
      { VIGIE_FLEET_MAX_PER_TARGET: '2.5' },
      { VIGIE_FLEET_MAX_PER_TARGET: 'deux' },
      { VIGIE_FLEET_RATE: '-1' },
      { VIGIE_FLEET_RATE: '0' },
    ]) {
      let error: unknown;
      try {
        fleetLimits(env);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(env)).toBeInstanceOf(UsageError);
      const [name, value] = Object.entries(env)[0]!;
      expect((error as UsageError).message).toContain(`${name}=${value} n’est pas valable`);
    }
    expect(() => fleetLimits({ VIGIE_FLEET_RATE: 'vite' })).toThrow(/un nombre positif, au plus 100000/);
    expect(() => fleetLimits({ VIGIE_FLEET_MAX_PER_TARGET: '9999' })).toThrow(/un entier de 1 à 1000/);
  });

  it('refuses at validation a distributed: section out of bounds or with an unknown key', () => {
    let error: unknown;
    try {
      parseConfig(`${base}distributed: { maxPerTarget: 0, rate: -2, burst: 3 }\n`, 'vigie.yml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidFileError);
    const paths = (error as InvalidFileError).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'distributed.maxPerTarget',
        'distributed.rate',
        expect.stringMatching(/distributed/),
      ]),
    );
    expect(paths.length).toBeGreaterThanOrEqual(3);
  });
});
