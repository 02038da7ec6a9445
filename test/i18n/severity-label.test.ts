import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../src/domain/index.js';
import { severityLabel } from '../../src/i18n/index.js';
import { sourceFiles, stringLiterals } from './french-literals.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('severity labels', () => {
  it('come from the catalogue, in both languages', () => {
    expect(SEVERITIES.map((s) => severityLabel('fr', s))).toEqual([
      'info',
      'faible',
      'moyenne',
      'haute',
      'critique',
    ]);
    expect(SEVERITIES.map((s) => severityLabel('en', s))).toEqual([
      'info',
      'low',
      'medium',
      'high',
      'critical',
    ]);
  });

  it('are defined once: no other file of src/ spells a French severity label on its own', () => {
    const labels = new Set(['faible', 'moyenne', 'haute', 'critique']);
    const spelt = sourceFiles(ROOT, 'src')
      .filter((rel) => !rel.startsWith('src/i18n/'))
      .filter((rel) =>
        stringLiterals(fs.readFileSync(path.join(ROOT, rel), 'utf8')).some((l) => labels.has(l)),
      );
    expect(spelt).toEqual([]);
  });
});
