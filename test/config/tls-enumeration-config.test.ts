import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';

const yml = (scan: string) => `
organisation:
  name: Ville Exemple
${scan}
assets:
  - id: portail
    name: Portail
    owner: DSI
    criticality: high
    hosts: [portail.exemple.fr]
`;

describe('scan.tlsEnumeration in vigie.yml', () => {
  it('defaults to profiles and accepts full and off', () => {
    expect(parseConfig(yml(''), 'vigie.yml').scan.tlsEnumeration).toBe('profiles');
    expect(parseConfig(yml('scan: { tlsEnumeration: full }'), 'vigie.yml').scan.tlsEnumeration).toBe('full');
    expect(parseConfig(yml('scan: { tlsEnumeration: off }'), 'vigie.yml').scan.tlsEnumeration).toBe('off');
  });

  it('refuses any other value, naming the key', () => {
    expect(() => parseConfig(yml('scan: { tlsEnumeration: sometimes }'), 'vigie.yml')).toThrow(
      /tlsEnumeration/,
    );
  });
});
