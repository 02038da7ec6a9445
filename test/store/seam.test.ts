import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src');

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

const rel = (file: string): string => path.relative(ROOT, file).split(path.sep).join('/');

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'";]*?from\s+'([^']+)'/gm)].map((m) => m[1] ?? '');
}

/** Statements a backend would have to speak: what must stay inside src/store. */
const SQL =
  /\b(?:SELECT\s+[\w*.,\s]+\s+FROM|INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(?:TABLE|INDEX))\b/;

describe('the store as a seam for a second backend', () => {
  it('states its repositories in terms of the domain only: no driver type, no backend file', () => {
    const contracts = fs
      .readdirSync(path.join(SRC, 'store'))
      .filter((f) => f === 'store.ts' || f.endsWith('-repository.ts'))
      .map((f) => path.join(SRC, 'store', f));
    expect(contracts.length).toBeGreaterThanOrEqual(10);
    const foreign = contracts.flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec !== '../domain/index.js' && !/^\.\/[a-z-]+-repository\.js$/.test(spec))
        .map((spec) => `${rel(file)} → ${spec}`),
    );
    expect(foreign).toEqual([]);
  });

  it('keeps every SQL statement inside the backends (src/store/sqlite, src/store/postgres)', () => {
    const outside = tsFiles(SRC)
      .filter((file) => !/^src\/store\/(?:sqlite|postgres)\//.test(rel(file)))
      .filter((file) => SQL.test(fs.readFileSync(file, 'utf8')))
      .map(rel);
    expect(outside).toEqual([]);
    // The pattern does find the statements where they are.
    expect(
      tsFiles(path.join(SRC, 'store', 'sqlite')).filter((f) => SQL.test(fs.readFileSync(f, 'utf8'))).length,
    ).toBeGreaterThan(5);
  });
});
