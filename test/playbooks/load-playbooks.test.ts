import { afterEach, describe, expect, it } from 'vitest';
import { InvalidFileError, type Issue } from '../../src/domain/index.js';
import { findPlaybook, loadPlaybookLibrary, playbookForCheck } from '../../src/playbooks/index.js';
import { playbookDir, playbookText, validBody } from '../helpers/playbook-fixture.js';

const CHECK_IDS = new Set([
  'tls.cert.expired',
  'tls.cert.expiring',
  'service.exposed.redis',
  'service.exposed.ssh',
  'service.redis.unauthenticated',
]);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function dirWith(files: Record<string, string>): string {
  const { dir, cleanup } = playbookDir(files);
  cleanups.push(cleanup);
  return dir;
}

function issuesOf(dir: string): Issue[] {
  try {
    loadPlaybookLibrary(dir, { checkIds: CHECK_IDS });
  } catch (error) {
    if (error instanceof InvalidFileError) return [...error.issues];
    throw error;
  }
  throw new Error('the library was expected to be invalid');
}

describe('loadPlaybookLibrary', () => {
  it('reads a valid playbook: front matter, cadence, the six phases with derived step IDs', () => {
    const dir = dirWith({
      'PB-001-test.md': playbookText({ triggers: ['tls.cert.expired', 'service.exposed.*'] }),
      'README.md': '# not a playbook',
    });
    const [p, ...rest] = loadPlaybookLibrary(dir, { checkIds: CHECK_IDS });
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      id: 'PB-001',
      title: { fr: 'Fiche de test', en: 'Test playbook' },
      owner: 'RSSI',
      reviewEvery: { amount: 12, unit: 'mo' },
      lastReviewed: '2026-01-15',
      incidentTypes: ['certificate'],
      triggers: ['tls.cert.expired', 'service.exposed.*'],
      obligations: ['rgpd-art33', 'nis2-art23'],
      contacts: [{ role: 'RSSI', for: 'pilote la réponse' }],
    });
    expect(p?.file).toMatch(/PB-001-test\.md$/);
    expect(p?.phases.map((ph) => [ph.code, ph.steps.map((s) => s.id)])).toEqual([
      ['PRE', ['PRE-1', 'PRE-2']],
      ['IDE', ['IDE-1', 'IDE-2']],
      ['CON', ['CON-1', 'CON-2', 'CON-3']],
      ['REM', ['REM-1', 'REM-2']],
      ['REC', ['REC-1', 'REC-2']],
      ['RETEX', ['RETEX-1', 'RETEX-2']],
    ]);
    expect(p?.phases[0]).toMatchObject({
      name: 'Préparation',
      intro: 'Contexte de la phase Préparation.',
      steps: [
        { id: 'PRE-1', text: 'Première étape de Préparation.' },
        { id: 'PRE-2', text: 'Deuxième étape de Préparation, sur deux lignes.' },
      ],
    });
  });

  it('reports every problem of a broken file at once, each with its path and its line in the file', () => {
    const front = [
      'id: PB-02', // 2
      'title: { fr: Fiche cassée }', // 3
      'summary: { fr: Quand., en: When. }', // 4
      'owner: RSSI', // 5
      'reviewEvery: 12 mois', // 6
      'lastReviewed: 2026-02-30', // 7
      'incidentTypes: [rançon]', // 8
      'triggers:', // 9
      '  - tls.cert.expired', // 10
      '  - tls.cert.expird', // 11
      '  - tls.cert.expired', // 12
      'obligations: [rgpd-art99]', // 13
      'contacts: [{ role: RSSI, for: pilote }]', // 14
      'references: [ANSSI]', // 15
      'colour: rouge', // 16
    ].join('\n');
    const body = [
      '# Fiche cassée', // 18
      '## Identification', // 19
      '- [ ] a', // 20
      '- [ ] b', // 21
      '## Préparation', // 22
      '- [ ] a', // 23
      '- [ ] b', // 24
      '## Remédiation', // 25
      '- [ ] une seule étape', // 26
      '## Récupération', // 27
      '- [ ] a', // 28
      '- [ ] b', // 29
      'Un paragraphe perdu après la liste.', // 30
      "## Retour d'expérience", // 31
      '- [ ] a', // 32
      '- [x] b', // 33
      '## Annexes', // 34
    ].join('\n');
    const dir = dirWith({ 'PB-002-cassee.md': playbookText({ frontMatter: front, body }) });
    const issues = issuesOf(dir);
    const seen = issues.map((i) => [i.path, i.line]);
    expect(seen).toEqual([
      ['id', 2],
      ['title.en', 3],
      ['reviewEvery', 6],
      ['lastReviewed', 7],
      ['incidentTypes[0]', 8],
      ['triggers[1]', 11],
      ['triggers[2]', 12],
      ['obligations[0]', 13],
      ['colour', 16],
      ['phases.Préparation', 22],
      ['phases.Confinement', 25],
      ['phases.Remédiation', 25],
      ['phases.Récupération', 30],
      ["phases.Retour d'expérience.RETEX-2", 33],
      ['phases', 34],
    ]);
    expect(issues.every((i) => i.file?.endsWith('PB-002-cassee.md'))).toBe(true);
    const message = (path: string) => issues.find((i) => i.path === path)?.message ?? '';
    expect(message('triggers[1]')).toContain('« tls.cert.expired »');
    expect(message('triggers[2]')).toContain('en double');
    expect(message('reviewEvery')).toContain('12mo');
    expect(message('lastReviewed')).toContain('AAAA-MM-JJ');
    expect(message('colour')).toContain('clé inconnue');
    expect(message('phases.Confinement')).toContain('absente');
    expect(message('phases.Remédiation')).toContain('au moins 2 étapes');
    expect(message('phases.Préparation')).toContain('hors d’ordre');
  });

  it('requires the front matter, an ID matching the file name, unique IDs and a well-formed file name', () => {
    const dir = dirWith({
      'PB-001-a.md': playbookText({ id: 'PB-001' }),
      'PB-003-b.md': playbookText({ id: 'PB-001' }),
      'PB-004-sans-entete.md': validBody(),
      'PB-5.md': playbookText({ id: 'PB-005' }),
    });
    const issues = issuesOf(dir).map((i) => [i.file?.replace(/.*\//, ''), i.path, i.line, i.message]);
    expect(issues).toEqual([
      ['PB-003-b.md', 'id', 2, 'l’identifiant « PB-001 » diffère de celui du nom de fichier (PB-003)'],
      ['PB-004-sans-entete.md', '', 1, expect.stringContaining('« --- »')],
      ['PB-5.md', '', undefined, expect.stringContaining('PB-NNN-mot-cle.md')],
    ]);

    const twice = dirWith({ 'PB-001-a.md': playbookText(), 'PB-001-b.md': playbookText() });
    const [duplicate, ...others] = issuesOf(twice);
    expect(others).toEqual([]);
    expect(duplicate).toMatchObject({ path: 'id', line: 2 });
    expect(duplicate?.message).toMatch(/identifiant « PB-001 » déjà utilisé par .*PB-001-a\.md$/);
  });

  it('reports YAML syntax errors at their line in the file', () => {
    const dir = dirWith({
      'PB-001-a.md': playbookText({ frontMatter: 'id: PB-001\ntitle: { fr: a, en: b\nowner: x' }),
    });
    const [issue] = issuesOf(dir);
    expect(issue?.message).toMatch(/syntaxe YAML/);
    expect(issue?.line).toBeGreaterThanOrEqual(3);
  });

  it('refuses a family trigger that names no known check', () => {
    const dir = dirWith({ 'PB-001-a.md': playbookText({ triggers: ['dns.*'] }) });
    expect(issuesOf(dir)).toEqual([expect.objectContaining({ path: 'triggers[0]', line: 12 })]);
  });

  it('finds the playbook of a check: an exact trigger first, then a family', () => {
    const dir = dirWith({
      'PB-001-a.md': playbookText({ id: 'PB-001', triggers: ['service.exposed.*'] }),
      'PB-002-b.md': playbookText({ id: 'PB-002', triggers: ['service.exposed.redis', 'tls.cert.expired'] }),
    });
    const library = loadPlaybookLibrary(dir, { checkIds: CHECK_IDS });
    expect(playbookForCheck(library, 'service.exposed.redis')?.id).toBe('PB-002');
    expect(playbookForCheck(library, 'service.exposed.ssh')?.id).toBe('PB-001');
    expect(playbookForCheck(library, 'tls.cert.expiring')).toBeUndefined();
    expect(findPlaybook(library, 'pb-002')?.id).toBe('PB-002');
  });

  it('derives a playbook’s triggers from the checks that name it, and refuses a trigger contradicting one', () => {
    const links = new Map([['tls.cert.expired', 'PB-002']]);
    const agreeing = dirWith({
      'PB-001-a.md': playbookText({ id: 'PB-001', triggers: ['service.exposed.ssh'] }),
      'PB-002-b.md': playbookText({ id: 'PB-002', triggers: [] }),
    });
    const library = loadPlaybookLibrary(agreeing, { checkIds: CHECK_IDS, checkPlaybooks: links });
    expect(library.map((p) => [p.id, p.triggers])).toEqual([
      ['PB-001', ['service.exposed.ssh']],
      ['PB-002', ['tls.cert.expired']],
    ]);
    expect(playbookForCheck(library, 'tls.cert.expired')?.id).toBe('PB-002');

    const contradicting = dirWith({
      'PB-001-a.md': playbookText({ id: 'PB-001', triggers: ['tls.cert.expired'] }),
      'PB-002-b.md': playbookText({ id: 'PB-002', triggers: [] }),
    });
    let issues: Issue[] = [];
    try {
      loadPlaybookLibrary(contradicting, { checkIds: CHECK_IDS, checkPlaybooks: links });
    } catch (error) {
      if (error instanceof InvalidFileError) issues = [...error.issues];
    }
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'triggers[0]',
        message: expect.stringContaining('« PB-002 »') as string,
      }),
    ]);
    // Without the check's playbook in the library, an organisation may route it elsewhere.
    const elsewhere = dirWith({
      'PB-001-a.md': playbookText({ id: 'PB-001', triggers: ['tls.cert.expired'] }),
    });
    expect(
      loadPlaybookLibrary(elsewhere, { checkIds: CHECK_IDS, checkPlaybooks: links }).map((p) => p.triggers),
    ).toEqual([['tls.cert.expired']]);
  });
});
