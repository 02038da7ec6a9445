import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_CUSTOM_CHECKS_DIR,
  customCheckMeta,
  customChecksDirs,
  loadAllCustomChecks,
} from '../../../src/app/shared/validate-custom-checks.js';
import { InvalidFileError } from '../../../src/domain/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('custom checks in the app', () => {
  it('reads the package directory first, then those of vigie.yml', () => {
    expect(customChecksDirs()).toEqual([DEFAULT_CUSTOM_CHECKS_DIR]);
    expect(customChecksDirs({ checks: { custom: ['/srv/controles'] } })).toEqual([
      DEFAULT_CUSTOM_CHECKS_DIR,
      '/srv/controles',
    ]);
  });

  it('lists the shipped checks as catalogue entries', () => {
    const metas = loadAllCustomChecks().checks.map(customCheckMeta);
    expect(metas.find((m) => m.id === 'custom.http.git-head')).toMatchObject({
      category: 'http',
      severity: 'high',
      title: { fr: 'Dépôt Git publié avec le site (/.git/HEAD)' },
    });
    // Each shipped check names the playbook its findings lead to.
    expect(metas.every((m) => /^PB-\d{3}$/.test(m.playbook ?? ''))).toBe(true);
  });

  it('refuses a user check that takes a shipped ID', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-custom-app-'));
    dirs.push(dir);
    writeFileSync(
      join(dir, 'mine.yaml'),
      `version: 1
checks:
  - id: custom.http.git-head
    severity: low
    title: { fr: Moi, en: Me }
    evidence: { fr: '{url}', en: '{url}' }
    remediation: { fr: Corriger., en: Fix. }
    http: { path: /x, matchers: [{ status: 200 }] }
    cases: { match: [{}], noMatch: [{ status: 404 }] }
`,
    );
    expect(() => loadAllCustomChecks(customChecksDirs({ checks: { custom: [dir] } }))).toThrow(
      InvalidFileError,
    );
    expect(() =>
      loadAllCustomChecks(customChecksDirs({ checks: { custom: [join(dir, 'absent')] } })),
    ).toThrow(/répertoire introuvable/);
  });
});
