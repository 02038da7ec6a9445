import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { carefulYamlSource } from '../../src/config/yaml-source.js';
import { fastYamlSource } from '../../src/config/yaml-fast-read.js';
import { cutLongSequences } from '../../src/config/yaml-pieces.js';
import { InvalidFileError } from '../../src/domain/index.js';

const FILE = 'vigie.yml';
const careful = (text: string) => carefulYamlSource(text, FILE);
/** Every sequence cut, one item a piece: the smallest pieces, the most cuts. */
const TINY = { minBytes: 0, pieceBytes: 1 };
/** Nothing cut: the whole document read at once, as before pieces. */
const WHOLE = { minBytes: Number.POSITIVE_INFINITY, pieceBytes: 1 };
const inPieces = (text: string) => fastYamlSource(text, careful, TINY);
const whole = (text: string) => fastYamlSource(text, careful, WHOLE);

function carefulValue(text: string): { value: unknown } | 'refused' {
  try {
    return { value: careful(text).value };
  } catch (error) {
    if (error instanceof InvalidFileError) return 'refused';
    throw error;
  }
}

/** Reading in pieces gives what the careful path gives, and never less than reading at once. */
function expectSameReading(text: string): void {
  const pieces = inPieces(text);
  const once = whole(text);
  if (once !== undefined) {
    expect(pieces, text).toBeDefined();
    expect(pieces?.value, text).toEqual(once.value);
  }
  if (pieces !== undefined) expect({ value: pieces.value }, text).toEqual(carefulValue(text));
}

describe('cutting a long sequence of the root mapping', () => {
  const text =
    'organisation: { name: X }\n' +
    'assets: # the estate\n' +
    '  # first\n' +
    '  - id: a\n' +
    '    hosts:\n' +
    '      - www.a.fr\n' +
    '\n' +
    '  - { id: b }\n' +
    '  -\n' +
    '    id: c\n' +
    'scan: { timeoutMs: 5000 }\n';

  it('cuts between items only, the rest keeping the key with no value', () => {
    const cut = cutLongSequences(text, TINY);
    expect(cut?.rest).toBe('organisation: { name: X }\nassets: # the estate\nscan: { timeoutMs: 5000 }\n');
    expect(cut?.sequences).toEqual([
      {
        key: 'assets',
        keyAt: 26,
        pieces: [
          '  # first\n  - id: a\n    hosts:\n      - www.a.fr\n\n',
          '  - { id: b }\n',
          '  -\n    id: c\n',
        ],
      },
    ]);
    // Pieces of about a size: items are grouped until one starts that far from the piece's start.
    expect(cutLongSequences(text, { minBytes: 0, pieceBytes: 40 })?.sequences[0]?.pieces).toEqual([
      '  # first\n  - id: a\n    hosts:\n      - www.a.fr\n\n',
      '  - { id: b }\n  -\n    id: c\n',
    ]);
    expect(inPieces(text)?.value).toEqual(careful(text).value);
  });

  it('leaves short sequences, values that are not block sequences, and odd endings in place', () => {
    expect(cutLongSequences(text, { minBytes: 1000, pieceBytes: 1 })).toBeUndefined();
    expect(cutLongSequences('assets: [a, b]\n', TINY)).toBeUndefined();
    expect(cutLongSequences('assets:\n  id: a\n', TINY)).toBeUndefined();
    // The sequence ends on a line that is not at the root's indentation.
    expect(cutLongSequences('assets:\n    - a\n  - b\n', TINY)).toBeUndefined();
    // At the key's own indentation, the sequence ends at the next key.
    expect(cutLongSequences('assets:\n- a\n- b\nscan: 1\n', TINY)).toEqual({
      rest: 'assets:\nscan: 1\n',
      sequences: [{ key: 'assets', keyAt: 0, pieces: ['- a\n', '- b\n'] }],
    });
  });

  it.each([
    ['items at the key’s indentation', 'assets:\n- a\n- b\nscan: 1\n'],
    ['Windows line endings', 'a: 1\r\nassets:\r\n  - x: 1\r\n  - y\r\n  -\r\n'],
    ['an alias to an earlier item (read at once)', 'assets:\n  - &a { id: x }\n  - *a\n'],
    ['an alias within an item', 'assets:\n  - { a: &a 1, b: *a }\n  - c\n'],
    ['an alias from the rest to an item', 'assets:\n  - &a x\n  - y\nb: *a\n'],
    ['a quoted text over a cut', 'assets:\n  - "one\n  - two"\n  - three\n'],
    ['a flow list over a cut', 'assets:\n  - [one,\n  - two]\n'],
    ['a block text in an item', 'assets:\n  - |\n    - not an item\n  - b\n'],
    ['a root in flow style', '{ a: 1,\nassets:\n  - x\n}\n'],
    ['a key written twice', 'assets:\n  - a\nassets:\n  - b\n'],
    ['a key with a value on its line', 'assets: &x\n  - a\n  - b\n'],
    ['a sequence that is the whole document', '  - a\n  - b\n'],
    ['a duplicate key in an item', 'assets:\n  - { a: 1, a: 2 }\n  - b\n'],
    ['a tag in an item', 'assets:\n  - !!str 1\n  - b\n'],
    ['a non-text key in an item', 'assets:\n  - 0x10: a\n  - b\n'],
    ['nothing after the key', 'a: 1\nassets:\n'],
    ['comments only after the key', 'assets:\n  # none yet\nscan: 1\n'],
    ['a nested list at the items’ indentation', 'assets:\n  - - a\n    - b\n  - c\n'],
    ['an empty item', 'assets:\n  -\n  - b\n'],
  ])('reads %s as the careful path does', (_what, text) => {
    expectSameReading(text);
  });

  it('reads generated inventories in pieces as at once, and as the careful path does', () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.constantFrom('~', 'null', 'true', '0x1F', '1e400', '#', '- a', 'a\n- b', '  - c', ': d'),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(fc.string({ maxLength: 8 }), tie('node'), { maxKeys: 4 }),
    })).node;
    const document = fc.record({
      organisation: fc.dictionary(fc.string({ maxLength: 6 }), value, { maxKeys: 2 }),
      assets: fc.array(value, { minLength: 1, maxLength: 8 }),
      scan: value,
    });
    const style = fc.record({
      flow: fc.boolean(),
      indent: fc.integer({ min: 2, max: 4 }),
      indentSeq: fc.boolean(),
      quote: fc.boolean(),
      block: fc.constantFrom<'PLAIN' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED'>(
        'PLAIN',
        'QUOTE_DOUBLE',
        'BLOCK_LITERAL',
        'BLOCK_FOLDED',
      ),
    });
    fc.assert(
      fc.property(document, style, (d, s) => {
        const text = stringify(d, {
          collectionStyle: s.flow ? 'flow' : 'block',
          indent: s.indent,
          indentSeq: s.indentSeq,
          singleQuote: s.quote,
          defaultStringType: s.block,
          lineWidth: 0,
        });
        expectSameReading(text);
      }),
      { seed: 33, numRuns: 300 },
    );
  });

  it('reads lines put together at random as the careful path does, or defers to it', () => {
    const line = fc.constantFrom(
      'assets:',
      'assets: # x',
      'scan: 1',
      'a: &r 1',
      'b: *r',
      '- a',
      '-',
      '  - a',
      '  - &a b',
      '  - *a',
      '  -',
      '    id: x',
      '    id: x',
      '  - "a',
      '  - b"',
      '  - [a,',
      '    b]',
      '  - |',
      '    text',
      '  - id: 1',
      '    - z',
      '  # comment',
      '# comment',
      '',
      '   ',
      '  - { a: 1 }',
      '  - a: b: c',
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 14 }), (lines) => {
        expectSameReading(`${lines.join('\n')}\n`);
      }),
      { seed: 17, numRuns: 2000 },
    );
  });

  it('counts the aliases of all pieces against the one limit of the document', () => {
    const items = Array.from({ length: 101 }, (_, i) => `  - { a: &x${i} 1, b: *x${i} }\n`);
    const text = `assets:\n${items.join('')}`;
    expect(inPieces(text)).toBeUndefined();
    expect(carefulValue(text)).toBe('refused');
    expect(inPieces(`assets:\n${items.slice(1).join('')}`)?.value).toEqual({
      assets: Array.from({ length: 100 }, () => ({ a: 1, b: 1 })),
    });
  });

  it('bounds the depth of an item as in the whole document', () => {
    for (const levels of [60, 61, 62]) {
      const text = `assets:\n  - ${'['.repeat(levels)}${']'.repeat(levels)}\n  - b\n`;
      expect(inPieces(text) === undefined, String(levels)).toBe(whole(text) === undefined);
      expectSameReading(text);
    }
    // js-yaml's own limit, a level short of the careful path's: such a document is read carefully.
    expect(whole(`assets:\n  - ${'['.repeat(61)}${']'.repeat(61)}\n`)).toBeDefined();
    expect(whole(`assets:\n  - ${'['.repeat(62)}${']'.repeat(62)}\n`)).toBeUndefined();
  });

  it('reads a large inventory in pieces as at once', () => {
    const items = Array.from(
      { length: 3000 },
      (_, i) => `  - id: a-${i}\n    name: "Service ${i} : démarches"\n    hosts: [h${i}.exemple.fr]\n`,
    );
    const text = `organisation: { name: X }\nassets:\n${items.join('')}scan: { timeoutMs: 5000 }\n`;
    expect(text.length).toBeGreaterThan(64 * 1024);
    const source = fastYamlSource(text, careful);
    expect(cutLongSequences(text)?.sequences[0]?.pieces.length).toBeGreaterThan(1);
    expect(source?.value).toEqual(whole(text)?.value);
  });
});
