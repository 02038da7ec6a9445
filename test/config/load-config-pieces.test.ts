import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configFromSource, parseConfig } from '../../src/config/load-config.js';
import { carefulYamlSource } from '../../src/config/yaml-source.js';
import { InvalidFileError } from '../../src/domain/index.js';

const FILE = '/nulle-part/vigie.yml';

/** A config, or every issue of its refusal with its line and catalogue text. */
function outcome(read: () => unknown): unknown {
  try {
    return { config: read() };
  } catch (error) {
    if (error instanceof InvalidFileError) return { issues: error.issues };
    throw error;
  }
}

/** What a faulty asset, or a faulty section, looks like. */
const FAULTS = {
  criticality: '    criticality: extrême\n',
  unknownKey: '    critcality: low\n',
  host: '    hosts: ["-bad-"]\n',
  noHost: '    hosts: []\n',
  duplicateId: '  - id: actif-0\n',
} as const;

function inventory(
  count: number,
  faults: { at: number; fault: keyof typeof FAULTS }[],
  extra: string,
): string {
  const lines = ['organisation: { name: Mesure, language: fr }', 'assets:'];
  for (let i = 0; i < count; i++) {
    const fault = faults.find((f) => f.at === i)?.fault;
    lines.push(
      fault === 'duplicateId' ? FAULTS[fault].trimEnd() : `  - id: actif-${i}`,
      `    name: "Service ${i} : démarches"`,
      '    owner: DSI',
      fault === 'criticality' || fault === 'unknownKey' ? FAULTS[fault].trimEnd() : '    criticality: high',
      fault === 'host' || fault === 'noHost'
        ? FAULTS[fault].trimEnd()
        : `    hosts: [h${i}.exemple.fr, { name: api${i}.exemple.fr, address: 192.0.2.${i % 250} }]`,
      ...(i % 3 === 0 ? ['    ports: [443, 8443]'] : []),
    );
  }
  return `${lines.join('\n')}\n${extra}`;
}

describe('assets validated as they are read', () => {
  it('give the configuration and the problems that validating the whole document gives', () => {
    const faults = fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: 1199 }),
        fault: fc.constantFrom(...(Object.keys(FAULTS) as (keyof typeof FAULTS)[])),
      }),
      { maxLength: 2 },
    );
    const extra = fc.constantFrom(
      '',
      'scan: { timeoutMs: 5 }\n',
      'scan: { timeoutMs: 5000 }\nmail: { password: x }\n',
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1200 }), faults, extra, (count, f, e) => {
        const text = inventory(count, f, e);
        // The reference: the document read the careful way (assets as written), validated at once.
        expect(outcome(() => parseConfig(text, FILE))).toEqual(
          outcome(() => configFromSource(carefulYamlSource(text, FILE), FILE)),
        );
      }),
      { seed: 33, numRuns: 12 },
    );
  });

  it('takes a long list of valid assets in pieces, and leaves it as written when one fails', () => {
    const valid = inventory(1200, [], '');
    expect(valid.length).toBeGreaterThan(64 * 1024);
    const config = parseConfig(valid, FILE);
    expect(config.assets).toHaveLength(1200);
    expect(config.assets[1]?.hosts).toEqual([
      { name: 'h1.exemple.fr' },
      { name: 'api1.exemple.fr', address: '192.0.2.1' },
    ]);
    const faulty = inventory(
      1200,
      [
        { at: 900, fault: 'duplicateId' },
        { at: 1100, fault: 'criticality' },
      ],
      '',
    );
    const lines = faulty.split('\n');
    const refused = outcome(() => parseConfig(faulty, FILE)) as { issues: { path: string; line: number }[] };
    expect(refused.issues.map((i) => [i.path, i.line])).toEqual([
      ['assets[900].id', lines.indexOf('  - id: actif-0', 3) + 1],
      ['assets[1100].criticality', lines.indexOf('    criticality: extrême') + 1],
    ]);
  });
});
