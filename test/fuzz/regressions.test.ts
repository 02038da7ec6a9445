import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureFiles } from '../../fuzz/seeds.js';
import { TARGETS } from '../../fuzz/targets/index.js';

/*
 * Every input the fuzzer found (test/fixtures/fuzz/<target>/), replayed through its target's
 * invariants: the parser returns a result or its own error, round trips are stable. The specific
 * behaviour each one called for is tested next to its parser (see the README of each folder).
 */
const cases = TARGETS.flatMap((target) =>
  fixtureFiles(target.name).map((file) => ({ target, file, name: `${target.name}/${path.basename(file)}` })),
);

describe('fuzz regressions', () => {
  it('has regression inputs for the targets that found something', () => {
    expect(new Set(cases.map((c) => c.target.name))).toEqual(
      new Set(['certificate', 'dns-response', 'yaml']),
    );
  });

  it.each(cases)('$name keeps its invariants', ({ target, file }) => {
    const bytes = readFileSync(file);
    expect(() => target.check(target.input === 'text' ? bytes.toString('utf8') : bytes)).not.toThrow();
  });
});
