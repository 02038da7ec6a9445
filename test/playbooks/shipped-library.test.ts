import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  builtinCatalogue,
  knownCheckIds,
  PLAYBOOKS_DIR,
  validatePlaybooks,
} from '../../src/app/shared/index.js';
import { validateCatalogue } from '../../src/app/checks/index.js';
import { INCIDENT_TYPES, PHASE_CODES } from '../../src/domain/index.js';
import { loadPlaybookLibrary, playbookForCheck } from '../../src/playbooks/index.js';

describe('the shipped playbook library', () => {
  const library = loadPlaybookLibrary(PLAYBOOKS_DIR, { checkIds: knownCheckIds() });

  it('holds the twelve playbooks of playbooks/README.md, each with the six phases', () => {
    expect(library.map((p) => p.id)).toEqual(
      Array.from({ length: 12 }, (_, i) => `PB-${String(i + 1).padStart(3, '0')}`),
    );
    const files = fs.readdirSync(PLAYBOOKS_DIR).filter((f) => /^PB-.*\.md$/.test(f));
    expect(files).toHaveLength(12);
    for (const p of library) {
      expect(p.phases.map((ph) => ph.code)).toEqual(PHASE_CODES);
      expect(p.phases.every((ph) => ph.steps.length >= 2)).toBe(true);
      expect(p.title.en.length).toBeGreaterThan(0);
      expect(p.summary.en.length).toBeGreaterThan(0);
    }
    // Every incident type of the closed list has a playbook.
    expect(new Set(library.flatMap((p) => p.incidentTypes))).toEqual(new Set(INCIDENT_TYPES));
  });

  it('resolves every check that names a playbook, both ways (checks validate and playbook validate pass)', () => {
    const ids = new Set(library.map((p) => p.id));
    const named = [...builtinCatalogue().checks.values()].filter((c) => c.playbook !== undefined);
    expect(named.length).toBeGreaterThan(0);
    for (const check of named) expect(ids, `${check.id} → ${check.playbook ?? ''}`).toContain(check.playbook);
    expect(validatePlaybooks(PLAYBOOKS_DIR).playbooks).toHaveLength(12);
    expect(() => validateCatalogue(undefined, [], undefined, PLAYBOOKS_DIR)).not.toThrow();
  });

  it('leads the findings that need a response to a playbook', () => {
    for (const checkId of ['tls.cert.expired', 'service.exposed.redis', 'service.redis.unauthenticated']) {
      const meta = builtinCatalogue().checks.get(checkId);
      const playbook = meta?.playbook ?? playbookForCheck(library, checkId)?.id;
      expect(playbook, checkId).toMatch(/^PB-\d{3}$/);
    }
  });
});
