import { describe, expect, it } from 'vitest';
import { parseYamlDocument } from '../../src/config/index.js';
import { InvalidFileError } from '../../src/domain/index.js';

const TEXT = `organisation:
  name: X
assets:
  - id: a
    hosts:
      - www.exemple.fr
      - { name: api.exemple.fr, address: 203.0.113.10 }
`;

describe('parseYamlDocument', () => {
  it('gives the value and the line of every path', () => {
    const source = parseYamlDocument(TEXT, 'vigie.yml');
    expect(source.value).toEqual({
      organisation: { name: 'X' },
      assets: [{ id: 'a', hosts: ['www.exemple.fr', { name: 'api.exemple.fr', address: '203.0.113.10' }] }],
    });
    expect(source.lineOf(['organisation', 'name'])).toBe(2);
    expect(source.lineOf(['assets'])).toBe(3);
    expect(source.lineOf(['assets', 0])).toBe(4);
    expect(source.lineOf(['assets', 0, 'hosts'])).toBe(5);
    expect(source.lineOf(['assets', 0, 'hosts', 1, 'address'])).toBe(7);
  });

  it('falls back to the deepest existing ancestor for a missing path', () => {
    const source = parseYamlDocument(TEXT, 'vigie.yml');
    expect(source.lineOf(['assets', 0, 'owner'])).toBe(4);
    expect(source.lineOf(['assets', 5, 'id'])).toBe(3);
  });

  it('throws InvalidFileError listing every syntax error with its line', () => {
    expect(() => parseYamlDocument('a: 1\nb: [\n', 'f.yml')).toThrow(InvalidFileError);
    try {
      parseYamlDocument('a: 1\na: 2\nb: "\\q"\n', 'f.yml');
    } catch (error) {
      expect((error as InvalidFileError).file).toBe('f.yml');
      expect((error as InvalidFileError).issues.map((i) => i.line)).toEqual([2, 3]);
    }
    expect.assertions(3);
  });
});
