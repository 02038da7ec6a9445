import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadCatalogueFile,
  loadConfig,
  loadCustomChecks,
  loadServiceCatalogue,
  parseYamlDocument,
  readBoundedText,
  YAML_LIMITS,
} from '../../src/config/index.js';
import { ExitCode, InvalidFileError } from '../../src/domain/index.js';
import { loadPlaybookLibrary } from '../../src/playbooks/index.js';

const FIXTURES = new URL('../fixtures/fuzz/yaml/', import.meta.url).pathname;
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const HOSTILE = [
  'nested-explicit-keys.yml',
  'deep-flow.yml',
  'deep-flow-maps.yml',
  'compact-sequences.yml',
  'deep-indentation.yml',
];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-yaml-bounds-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function refusal(run: () => unknown): InvalidFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidFileError) return error;
    throw error;
  }
  throw new Error('expected an InvalidFileError, the document was accepted');
}

describe('the bounded YAML reader', () => {
  it.each(HOSTILE)('refuses %s with exit 3 and says the nesting is too deep, at a line', (name) => {
    const error = refusal(() => parseYamlDocument(fixture(name), name));
    expect(error.exitCode).toBe(ExitCode.InvalidInput);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.message).toMatch(/imbrication trop profonde : plus de 64 niveaux/);
    expect(error.issues[0]?.line).toBeGreaterThanOrEqual(1);
    expect(error.message).not.toMatch(/call stack/i);
  });

  it('parses each hostile document twice in a row in one process, which Node survives', async () => {
    const helper = new URL('../helpers/parse-yaml-files.ts', import.meta.url).pathname;
    const files = HOSTILE.flatMap((name) => [name, name]).map((name) => path.join(FIXTURES, name));
    const child = await new Promise<{ code: number | null; signal: string | null; stdout: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', helper, ...files],
          { encoding: 'utf8', timeout: 60_000 },
          (error, stdout) =>
            resolve({ code: error ? (error.code as number) : 0, signal: error?.signal ?? null, stdout }),
        );
      },
    );
    expect(child.signal).toBeNull();
    expect(child.code).toBe(0);
    const lines = child.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { error?: string; exitCode?: number; messages?: string[] });
    expect(lines).toHaveLength(files.length);
    for (const line of lines) {
      expect(line.error).toBe('InvalidFileError');
      expect(line.exitCode).toBe(ExitCode.InvalidInput);
    }
  });

  it('refuses a list or a table used as a key', () => {
    const error = refusal(() => parseYamlDocument('? [a, b]\n: c\n', 'k.yml'));
    expect(error.issues.map((i) => i.message)).toEqual([expect.stringMatching(/clé qui n’est pas du texte/)]);
    expect(() => parseYamlDocument('{ {a: 1}: b }\n', 'k.yml')).toThrow(InvalidFileError);
  });

  it('refuses more aliases than the limit, and accepts a few', () => {
    const anchors = 'base: &p [443, 80]\n';
    expect(parseYamlDocument(`${anchors}a: *p\nb: *p\n`, 'a.yml').value).toEqual({
      base: [443, 80],
      a: [443, 80],
      b: [443, 80],
    });
    const many =
      anchors + Array.from({ length: YAML_LIMITS.maxAliases + 1 }, (_, i) => `k${i}: *p`).join('\n');
    const error = refusal(() => parseYamlDocument(many, 'a.yml'));
    expect(error.issues[0]?.message).toMatch(/trop d’alias YAML/);
    expect(error.issues[0]?.line).toBe(YAML_LIMITS.maxAliases + 2);
  });

  it('still finds duplicate keys, at the line of the second one, in a table of 2 000 keys', () => {
    const keys = Array.from({ length: 2_000 }, (_, i) => `k${i}: ${i}`);
    keys.push('k17: again');
    const error = refusal(() => parseYamlDocument(`${keys.join('\n')}\n`, 'd.yml'));
    expect(error.issues).toMatchObject([
      { path: '', line: 2_001, message: 'syntaxe YAML : clé en double dans la même table (« k17 »)' },
    ]);
  });

  it('accepts deep but sane nesting (as in vigie’s own files)', () => {
    const text = 'a:\n- b:\n  - c: [1, {d: [2, 3]}]\n    e: |\n      [[[[ text, not structure\n';
    expect(parseYamlDocument(text, 'ok.yml').value).toEqual({
      a: [{ b: [{ c: [1, { d: [2, 3] }], e: '[[[[ text, not structure\n' }] }],
    });
  });

  it('sums up the syntax errors past the first 50', () => {
    const text = Array.from({ length: 200 }, (_, i) => `k${i}: "\\q"`).join('\n');
    const error = refusal(() => parseYamlDocument(text, 's.yml'));
    expect(error.issues).toHaveLength(51);
    expect(error.issues[50]?.message).toMatch(/et 150 autre\(s\) erreur\(s\) de syntaxe/);
  });
});

describe('the size limit (8 MB)', () => {
  /** A valid vigie.yml padded by a comment to just over the limit: cheap to parse, if it were parsed. */
  const oversized = (): string => {
    const file = path.join(dir, 'vigie-big.yml');
    const head = 'organisation: { name: Test }\nassets: []\n#';
    fs.writeFileSync(file, head + 'x'.repeat(YAML_LIMITS.maxBytes + 1 - head.length) + '\n');
    return file;
  };

  it('refuses a vigie.yml larger than 8 MB with exit 3, saying its size and the limit', () => {
    const error = refusal(() => loadConfig(oversized()));
    expect(error.exitCode).toBe(ExitCode.InvalidInput);
    expect(error.issues[0]?.message).toMatch(
      /fichier trop volumineux : 8,0 Mo, au-delà de la limite de 8,0 Mo/,
    );
  });

  it('reads a device no further than the limit', () => {
    const error = refusal(() => readBoundedText('/dev/zero'));
    expect(error.issues[0]?.message).toMatch(/fichier trop volumineux/);
  });

  it('accepts a file of exactly the limit', () => {
    const file = path.join(dir, 'exact.yml');
    const head = 'organisation: { name: Test }\nassets: []\n#';
    fs.writeFileSync(file, head + 'x'.repeat(YAML_LIMITS.maxBytes - head.length));
    expect(readBoundedText(file)).toHaveLength(YAML_LIMITS.maxBytes);
  });
});

describe('every loader reads YAML through the bounded reader', () => {
  const hostile = fixture('nested-explicit-keys.yml');
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };
  const depthMessage = /imbrication trop profonde/;

  it('vigie.yml', () => {
    expect(refusal(() => loadConfig(write('inv/vigie.yml', hostile))).message).toMatch(depthMessage);
  });

  it('the check catalogue and the risky-service catalogue', () => {
    expect(refusal(() => loadCatalogueFile(write('cat/catalogue.yaml', hostile))).message).toMatch(
      depthMessage,
    );
    expect(refusal(() => loadServiceCatalogue(write('cat/services.yaml', hostile))).message).toMatch(
      depthMessage,
    );
  });

  it('custom checks', () => {
    write('custom/a.yaml', hostile);
    const error = refusal(() => loadCustomChecks([path.join(dir, 'custom')], { builtinIds: new Set() }));
    expect(error.issues.map((i) => i.message)).toEqual([expect.stringMatching(depthMessage)]);
  });

  it('playbook front matter', () => {
    write('pb/PB-001-test.md', `---\n${hostile}\n---\n# Fiche\n`);
    const error = refusal(() => loadPlaybookLibrary(path.join(dir, 'pb'), { checkIds: new Set() }));
    expect(error.message).toMatch(depthMessage);
  });
});
