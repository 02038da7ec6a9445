import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  builtinCatalogue,
  knownCheckIds,
  loadCheckLibrary,
  loadPlaybooks,
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

  it('states each check’s playbook once, by the check: the playbooks derive their triggers from it', () => {
    for (const file of fs.readdirSync(PLAYBOOKS_DIR).filter((f) => /^PB-.*\.md$/.test(f))) {
      expect(fs.readFileSync(`${PLAYBOOKS_DIR}${file}`, 'utf8'), file).not.toMatch(/^triggers:/m);
    }
    const derived = loadPlaybooks(PLAYBOOKS_DIR);
    const checks = [...loadCheckLibrary().catalogue.checks.values()];
    for (const p of derived) {
      expect(p.triggers, p.id).toEqual(checks.filter((c) => c.playbook === p.id).map((c) => c.id));
    }
    const triggersOf = (id: string) => derived.find((p) => p.id === id)?.triggers ?? [];
    // Mail and DNS checks the playbook files used to leave out, and the custom checks they named.
    expect(triggersOf('PB-004')).toEqual(expect.arrayContaining(['mail.spf.missing', 'mail.dmarc.none']));
    expect(triggersOf('PB-012')).toContain('dns.dnssec.invalid');
    expect(triggersOf('PB-010')).toEqual(expect.arrayContaining(['custom.http.git-head', 'tls.cipher.rc4']));
    for (const check of checks.filter((c) => c.playbook !== undefined)) {
      expect(playbookForCheck(derived, check.id)?.id, check.id).toBe(check.playbook);
    }
  });

  it('leads the findings that need a response to a playbook', () => {
    for (const checkId of ['tls.cert.expired', 'service.exposed.redis', 'service.redis.unauthenticated']) {
      const meta = builtinCatalogue().checks.get(checkId);
      const playbook = meta?.playbook ?? playbookForCheck(library, checkId)?.id;
      expect(playbook, checkId).toMatch(/^PB-\d{3}$/);
    }
  });
});
