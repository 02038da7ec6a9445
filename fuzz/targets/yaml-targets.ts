import { stringify } from 'yaml';
import { parseConfig } from '../../src/config/load-config.js';
import { parseFrontMatter } from '../../src/config/front-matter.js';
import { fastYamlSource } from '../../src/config/yaml-fast-read.js';
import { carefulYamlSource, parseYamlDocument } from '../../src/config/yaml-source.js';
import { InvalidFileError } from '../../src/domain/errors.js';
import { mutatedText } from '../mutate.js';
import { yamlSeeds } from '../seeds.js';
import { expectThat, onlyThrows, sameData, type FuzzTarget } from '../target.js';

/*
 * vigie's YAML reader, which every loader goes through: any text gives a value or an
 * InvalidFileError (exit 3), quickly; a value written back as YAML reads back the same.
 */

const YAML_TOKENS = [
  '\n',
  '  ',
  '- ',
  '? ',
  ': ',
  '[',
  ']',
  '{',
  '}',
  ', ',
  '&a ',
  '*a',
  '!!str ',
  '!tag ',
  '|',
  '>-',
  '#',
  '"',
  "'",
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '<<: ',
  'assets:',
  'hosts:',
  'organisation:',
  'name: ',
  'id: x',
  '\t',
  '\\u',
  '~',
  'null',
  '.inf',
  '0x1F',
  '1e400',
  'yes',
  '__proto__: 1',
  'constructor: ',
  '- - - ',
  '[[[[',
  '{a: {b: ',
];

const FILE = '/nonexistent/vigie-fuzz/vigie.yml';

export const yamlTarget: FuzzTarget<string> = {
  name: 'yaml',
  input: 'text',
  about: 'the bounded YAML reader (all loaders) and playbook front matter; value stable through stringify',
  arbitrary: () => mutatedText(yamlSeeds(), YAML_TOKENS, { maxEdits: 8, maxLength: 64 * 1024 }),
  check(text) {
    const source = onlyThrows(() => parseYamlDocument(text, FILE), InvalidFileError);
    onlyThrows(() => parseFrontMatter(`---\n${text}\n---\n# Fiche\n`, FILE), InvalidFileError);
    if (source === undefined || source.value === undefined) return;
    onlyThrows(() => source.lineOf(['assets', 0, 'hosts', 0, 'name']));
    // lineWidth 0: yaml 2.9.1 folds a long line that starts with a tab into a `>-` scalar that does
    // not read back the same (found by this target; vigie itself writes no YAML yet).
    const written = onlyThrows(() => stringify(source.value, { aliasDuplicateObjects: false, lineWidth: 0 }));
    if (written === undefined) return;
    const again = onlyThrows(() => parseYamlDocument(written, FILE), InvalidFileError);
    expectThat(again !== undefined, `a value written back does not read back:\n${written.slice(0, 300)}`);
    expectThat(sameData(again?.value, source.value), 'the value changes through stringify → parse');
  },
};

export const vigieYmlTarget: FuzzTarget<string> = {
  name: 'vigie-yml',
  input: 'text',
  about: 'vigie.yml: parseConfig (schema, duplicate ids, CA files) gives a config or an InvalidFileError',
  arbitrary: () =>
    mutatedText(
      yamlSeeds().slice(0, 1),
      [
        ...YAML_TOKENS,
        'criticality: ',
        'high',
        'ports: [',
        '70000',
        'address: ',
        '203.0.113.',
        'expose: ',
        'caFiles: [',
        'schedule:',
        'scan: "0 25 * * *"',
        'mail:',
        'password: x',
      ],
      {
        maxEdits: 8,
        maxLength: 64 * 1024,
      },
    ),
  check(text) {
    onlyThrows(() => parseConfig(text, FILE), InvalidFileError);
  },
};

export const yamlPathsTarget: FuzzTarget<string> = {
  name: 'yaml-two-paths',
  input: 'text',
  about:
    'the fast YAML path (js-yaml), at once or in pieces, reads what the careful one (yaml) reads, the same value, or defers to it',
  arbitrary: () => mutatedText(yamlSeeds(), YAML_TOKENS, { maxEdits: 8, maxLength: 64 * 1024 }),
  check(text) {
    const locate = (t: string) => carefulYamlSource(t, FILE);
    const fast = onlyThrows(() => fastYamlSource(text, locate));
    // Every long sequence cut, one item a piece (ADR 0033): read as the whole document is.
    const pieces = onlyThrows(() => fastYamlSource(text, locate, { minBytes: 0, pieceBytes: 1 }));
    if (fast === undefined && pieces === undefined) return;
    const careful = onlyThrows(() => carefulYamlSource(text, FILE), InvalidFileError);
    expectThat(careful !== undefined, 'the fast path reads a document the careful path refuses');
    if (fast !== undefined)
      expectThat(sameData(fast.value, careful?.value), 'the two paths read different values');
    if (pieces !== undefined)
      expectThat(sameData(pieces.value, careful?.value), 'the pieces read differently from the careful path');
  },
};

export const YAML_TARGETS: readonly FuzzTarget<string>[] = [yamlTarget, yamlPathsTarget, vigieYmlTarget];
