import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { carefulYamlSource, parseYamlDocument } from '../../src/config/yaml-source.js';
import { fastYamlSource } from '../../src/config/yaml-fast-read.js';
import { InvalidFileError } from '../../src/domain/index.js';

const FILE = 'vigie.yml';
const careful = (text: string) => carefulYamlSource(text, FILE);
const fast = (text: string) => fastYamlSource(text, careful);

/** The careful path's reading: its value, or the messages of its refusal. */
function carefulReading(text: string): unknown {
  try {
    return { value: careful(text).value };
  } catch (error) {
    if (error instanceof InvalidFileError) return { refused: error.issues.map((i) => [i.line, i.message]) };
    throw error;
  }
}

/** The YAML of every tracked data file and playbook front matter: what vigie reads in practice. */
function repositoryYaml(): { file: string; text: string }[] {
  const files = execFileSync('git', ['ls-files', '*.yml', '*.yaml', 'playbooks/*.md'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter((f) => !f.startsWith('test/fixtures/fuzz/'));
  return files.flatMap((file) => {
    const text = fs.readFileSync(file, 'utf8');
    if (!file.endsWith('.md')) return [{ file, text }];
    const front = /^---\n([\s\S]*?)\n---/.exec(text);
    return front ? [{ file, text: `${front[1]}\n` }] : [];
  });
}

describe('the fast YAML path', () => {
  it('reads every YAML file of the repository, as the careful path does', () => {
    const files = repositoryYaml();
    expect(files.length).toBeGreaterThan(10);
    for (const { file, text } of files) {
      const source = fast(text);
      expect(source, file).toBeDefined();
      expect(source?.value, file).toEqual(careful(text).value);
    }
  });

  it('points at the same lines as the careful path, found only when a line is asked', () => {
    const text =
      'organisation:\n  name: X\nassets:\n  -\n    id: a\n  - { id: b, hosts: [www.exemple.fr] }\n';
    const source = fast(text);
    const reference = careful(text);
    for (const path of [[], ['organisation', 'name'], ['assets', 0], ['assets', 1, 'hosts', 0], ['nope']]) {
      expect(source?.lineOf(path), JSON.stringify(path)).toBe(reference.lineOf(path));
    }
  });

  it.each([
    ['a key that YAML reads as a number or null, kept as written', '0x10: a\n~: b\n1: c\n'],
    ['a number beyond a double', 'k: 1e400\n'],
    ['content after a document end marker', '...\n.inf\n'],
    ['an indented marker, a plain scalar', '  ---\n'],
    ['a tab in an indentation', 'a:\n\t- b\n'],
    ['a carriage return alone', 'a: "x"\r b\n'],
    ['a key longer than YAML allows', `${'k'.repeat(1100)}: v\n`],
    ['a block mapping on its key’s line', 'name: &a id: x\n'],
    ['a tag', 'a: !perso x\nb: !!str 12\n'],
    ['an alias to the collection that holds it', '&a\n<<: *a\n'],
    ['a key written twice', 'a: 1\nb: 2\na: 3\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['an empty file', ''],
  ])('leaves %s to the careful path, which reads it as before', (_what, text) => {
    expect(fast(text)).toBeUndefined();
    // And the reader as a whole gives the careful path's reading.
    let whole: unknown;
    try {
      whole = { value: parseYamlDocument(text, FILE).value };
    } catch (error) {
      whole = { refused: (error as InvalidFileError).issues.map((i) => [i.line, i.message]) };
    }
    expect(whole).toEqual(carefulReading(text));
  });

  it('reads generated documents as the careful path does, or defers to it', () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        '~',
        'null',
        'true',
        'False',
        '0x1F',
        '0o17',
        '1_000',
        '.inf',
        '-.5e3',
        '1e400',
        '#',
        '- a',
      ),
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
    const style = fc.record({
      flow: fc.boolean(),
      indent: fc.integer({ min: 2, max: 4 }),
      quote: fc.boolean(),
    });
    fc.assert(
      fc.property(value, style, (v, s) => {
        const text = stringify(v, {
          collectionStyle: s.flow ? 'flow' : 'block',
          indent: s.indent,
          singleQuote: s.quote,
          lineWidth: 0,
        });
        const source = fast(text);
        if (source === undefined) return;
        expect(source.value).toEqual(careful(text).value);
      }),
      { seed: 19, numRuns: 400 },
    );
  });
});
