import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { httpSampleResponse, loadCustomChecks, parseConfig } from '../../src/config/index.js';
import { ExitCode, InvalidFileError, decodeSendText } from '../../src/domain/index.js';
import type { CustomCheck, Issue } from '../../src/domain/index.js';
import { matchHttp, matchTcp } from '../../src/domain/custom-matchers.js';

const SHIPPED = fileURLToPath(new URL('../../checks/custom/', import.meta.url));
const NO_BUILTINS: ReadonlySet<string> = new Set();

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-custom-'));
  dirs.push(dir);
  return dir;
}

function write(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The InvalidFileError that loading `checkDirs` throws. */
function errorOf(checkDirs: string[], builtinIds = NO_BUILTINS): InvalidFileError {
  try {
    loadCustomChecks(checkDirs, { builtinIds });
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidFileError);
    return error as InvalidFileError;
  }
  throw new Error('loadCustomChecks should have thrown');
}

/** The one issue at `path` of `file`. */
function issueAt(issues: readonly Issue[], file: string, path: string): Issue {
  const found = issues.filter((i) => i.file === file && i.path === path);
  expect(found, `${file} › ${path} in ${JSON.stringify(issues, null, 2)}`).toHaveLength(1);
  return found[0] as Issue;
}

const TCP_CHECK = `version: 1
checks:
  - id: custom.tcp.old-exim
    severity: medium
    title: { fr: Exim ancien, en: Old Exim }
    evidence: { fr: 'Port {port} : {banner}', en: 'Port {port}: {banner}' }
    remediation: { fr: Mettez Exim à jour., en: Upgrade Exim. }
    references: [CWE-1104]
    tcp:
      port: 25
      send: 'EHLO vigie.invalid\\r\\n'
      matchers:
        - banner: { contains: ESMTP }
        - banner: { regex: 'Exim 4\\.(?:[0-8][0-9])\\b' }
    cases:
      match:
        - banner: "220 mx.exemple.fr ESMTP Exim 4.80\\r\\n"
      noMatch:
        - banner: "220 mx.exemple.fr ESMTP Postfix\\r\\n"
`;

describe('loadCustomChecks — the shipped examples', () => {
  it('loads them, and their cases behave as declared', () => {
    const { checks, files } = loadCustomChecks([SHIPPED], { builtinIds: NO_BUILTINS });

    expect(files.map((f) => f.slice(SHIPPED.length))).toEqual([
      'git-exposed.yaml',
      'phpinfo.yaml',
      'server-status.yaml',
    ]);
    expect(checks.map((c) => [c.id, c.severity])).toEqual([
      ['custom.http.git-head', 'high'],
      ['custom.http.phpinfo', 'medium'],
      ['custom.http.apache-server-status', 'high'],
    ]);
    for (const check of checks) {
      expect(check.kind).toBe('http');
      expect(check.references.length).toBeGreaterThan(0);
      expect(check.file.startsWith(SHIPPED)).toBe(true);
      if (check.kind !== 'http') continue;
      for (const sample of check.cases.match)
        expect(matchHttp(check.http, httpSampleResponse(check.http, sample)).matched).toBe(true);
      for (const sample of check.cases.noMatch)
        expect(matchHttp(check.http, httpSampleResponse(check.http, sample)).matched).toBe(false);
    }
  });

  it('reads the server-status rule as written', () => {
    const { checks } = loadCustomChecks([SHIPPED], { builtinIds: NO_BUILTINS });
    const status = checks.find((c) => c.id === 'custom.http.apache-server-status') as CustomCheck;
    expect(status).toMatchObject({
      kind: 'http',
      http: {
        path: '/server-status',
        scheme: 'both',
        matchers: [{ status: [200] }, { body: { contains: 'Apache Server Status' } }],
      },
    });
  });
});

describe('loadCustomChecks — valid files', () => {
  it('loads a TCP check, decoding its send escapes only when asked', () => {
    const dir = tempDir();
    write(dir, 'smtp.yml', TCP_CHECK);
    const [check] = loadCustomChecks([dir], { builtinIds: NO_BUILTINS }).checks;

    expect(check?.kind).toBe('tcp');
    if (check?.kind !== 'tcp') return;
    expect(check.tcp.send).toBe('EHLO vigie.invalid\\r\\n');
    const decoded = decodeSendText(check.tcp.send ?? '');
    expect(decoded.ok && Buffer.from(decoded.bytes).toString('latin1')).toBe('EHLO vigie.invalid\r\n');
    expect(matchTcp(check.tcp, '220 x ESMTP Exim 4.80').matched).toBe(true);
  });

  it('defaults the scheme to https, reads `status: 200` as a list, ignores other files', () => {
    const dir = tempDir();
    write(dir, 'notes.txt', 'not a check');
    write(
      dir,
      'listing.yaml',
      `version: 1
checks:
  - id: custom.http.directory-listing
    severity: low
    title: { fr: Liste de répertoire, en: Directory listing }
    evidence: { fr: '{url} : {matched}', en: '{url}: {matched}' }
    remediation: { fr: Désactivez Options Indexes., en: Disable Options Indexes. }
    http:
      path: /uploads/
      matchers:
        - status: 200
        - header: content-type
          matches: '^text/html'
        - body: { contains: Index of / }
    cases:
      match: [{ headers: { Content-Type: text/html }, body: '<title>Index of /uploads</title>' }]
      noMatch: [{ headers: { Content-Type: text/html }, body: '<title>Accueil</title>' }]
`,
    );
    const [check] = loadCustomChecks([dir], { builtinIds: NO_BUILTINS }).checks;
    expect(check).toMatchObject({
      kind: 'http',
      references: [],
      http: {
        scheme: 'https',
        matchers: [{ status: [200] }, { header: 'content-type', matches: '^text/html' }, {}],
      },
    });
  });

  it('accepts a missing directory only when it is optional', () => {
    const missing = join(tempDir(), 'absent');
    expect(loadCustomChecks([missing], { builtinIds: NO_BUILTINS, optionalDirs: [missing] })).toEqual({
      checks: [],
      files: [],
    });

    const error = errorOf([missing]);
    expect(error.exitCode).toBe(ExitCode.InvalidInput);
    expect(error.issues).toEqual([{ file: missing, path: '', message: 'répertoire introuvable' }]);
  });
});

describe('loadCustomChecks — invalid files', () => {
  it('reports every problem of every file at once, each with its file, path and line', () => {
    const dir = tempDir();
    const first = write(
      dir,
      'a-first.yaml',
      `version: 1
checks:
  - id: custom.http.shared
    severity: high
    title: { fr: Premier, en: First }
    evidence: { fr: '{url}', en: '{url}' }
    remediation: { fr: Corriger., en: Fix. }
    http:
      path: /a
      matchers: [{ status: [200] }]
    cases:
      match: [{ status: 200 }]
      noMatch: [{ status: 404 }]
`,
    );
    const broken = write(
      dir,
      'b-broken.yaml',
      `version: 1
checks:
  - id: http.no-prefix
    severity: high
    title: { fr: Sans préfixe, en: No prefix }
    evidence: { fr: '{url}', en: '{url}' }
    remediation: { fr: Corriger., en: Fix. }
    http:
      path: /x
      matchers:
        - status: [200]
        - body: { regex: '(unclosed' }
        - bodyy: { contains: x }
    cases:
      match: [{ status: 200 }]
      noMatch: [{ status: 404 }]
  - id: custom.http.never-matches
    severity: medium
    title: { fr: Jamais, en: Never }
    evidence: { fr: '{url} {status}', en: '{url}' }
    remediation: { fr: Corriger., en: Fix. }
    http:
      path: /y
      matchers:
        - status: [200]
        - body: { contains: secret }
    cases:
      match:
        - { status: 200, body: nothing here }
      noMatch:
        - { status: 404 }
  - id: custom.http.shared
    severity: low
    title: { fr: Doublon, en: Duplicate }
    evidence: { fr: '{port}', en: '{port}' }
    remediation: { fr: Corriger., en: Fix. }
    tcp:
      port: 70000
      send: 'bad \\q escape'
      matchers: [{ banner: { contains: x } }]
    cases:
      match: [{ banner: x }]
      noMatch: [{ banner: y }]
`,
    );

    const error = errorOf([dir]);
    const { issues } = error;

    expect(error.exitCode).toBe(ExitCode.InvalidInput);
    expect(issueAt(issues, broken, 'checks[0].id')).toMatchObject({
      line: 3,
      message: expect.stringContaining('custom.') as string,
    });
    expect(issueAt(issues, broken, 'checks[0].http.matchers[1].body.regex')).toMatchObject({
      line: 12,
      message: expect.stringMatching(/^expression régulière invalide/) as string,
    });
    expect(issueAt(issues, broken, 'checks[0].http.matchers[2].bodyy')).toMatchObject({
      line: 13,
      message: 'clé inconnue « bodyy » (vouliez-vous dire « body » ?)',
    });
    expect(issueAt(issues, broken, 'checks[1].evidence')).toMatchObject({
      line: 20,
      message: 'paramètres différents entre fr ({status}, {url}) et en ({url})',
    });
    expect(issueAt(issues, broken, 'checks[1].cases.match[0]')).toMatchObject({
      line: 29,
      message: expect.stringContaining('non vérifié : body contains "secret"') as string,
    });
    expect(issueAt(issues, broken, 'checks[2].id')).toMatchObject({
      line: 32,
      message: `identifiant « custom.http.shared » déjà défini dans ${first} (ligne 3)`,
    });
    expect(issueAt(issues, broken, 'checks[2].tcp.port')).toMatchObject({
      line: 38,
      message: 'port invalide (1–65535)',
    });
    expect(issueAt(issues, broken, 'checks[2].tcp.send')).toMatchObject({
      line: 39,
      message: expect.stringContaining('« \\q » inconnue') as string,
    });
    expect(issues).toHaveLength(8);
    // Reading order: by file, then by line.
    expect(issues.map((i) => i.line)).toEqual([3, 12, 13, 20, 29, 32, 38, 39]);
    expect(error.message).toContain(`${broken} › checks[0].http.matchers[2].bodyy (ligne 13)`);
  });

  it('refuses a built-in ID, a noMatch case that matches, cases of the wrong kind and unknown params', () => {
    const dir = tempDir();
    const file = write(
      dir,
      'checks.yaml',
      `version: 1
checks:
  - id: custom.http.taken
    severity: high
    title: { fr: Pris, en: Taken }
    evidence: { fr: '{port}', en: '{port}' }
    remediation: { fr: Corriger., en: Fix. }
    http:
      path: /
      matchers: [{ header: server, present: true }]
    cases:
      match: [{ headers: { Server: nginx } }]
      noMatch:
        - { headers: { Server: nginx } }
        - { banner: hello }
`,
    );

    const { issues } = errorOf([dir], new Set(['custom.http.taken']));

    expect(issueAt(issues, file, 'checks[0].id').message).toBe(
      'l’identifiant « custom.http.taken » est celui d’un contrôle intégré',
    );
    expect(issueAt(issues, file, 'checks[0].evidence.fr').message).toMatch(
      /paramètre\(s\) inconnu\(s\) \{port\}/,
    );
    expect(issueAt(issues, file, 'checks[0].cases.noMatch[0]').message).toBe(
      'ce cas ne devrait pas déclencher le contrôle mais le déclenche (vérifié : header server present)',
    );
    expect(issueAt(issues, file, 'checks[0].cases.noMatch[1].banner').line).toBe(15);
  });

  it('refuses a malformed matcher, a missing rule, missing cases and backtracking-only regexes', () => {
    const dir = tempDir();
    const file = write(
      dir,
      'shapes.yaml',
      `version: 1
checks:
  - id: custom.http.shapes
    severity: high
    title: { fr: Formes, en: Shapes }
    evidence: { fr: '{url}', en: '{status}' }
    remediation: { fr: Corriger., en: Fix. }
    http:
      path: no-slash
      matchers:
        - { header: server }
        - { status: [200], body: { contains: x } }
        - { body: { contains: x, regex: y } }
        - { body: { regex: '(a)\\1$' } }
    cases:
      match: []
      noMatch: [{}]
  - id: custom.http.no-rule
    severity: high
    title: { fr: Sans règle, en: No rule }
    evidence: { fr: x, en: x }
    remediation: { fr: Corriger., en: Fix. }
    cases: { match: [{}], noMatch: [{}] }
`,
    );

    const { issues } = errorOf([dir]);
    const at = (path: string): string => issueAt(issues, file, path).message;

    expect(at('checks[0].http.path')).toMatch(/commençant par « \/ »/);
    expect(at('checks[0].http.matchers[0]')).toMatch(/^matcher attendu/);
    expect(at('checks[0].http.matchers[1]')).toMatch(/^matcher attendu/);
    expect(at('checks[0].http.matchers[2].body')).toMatch(/exactement une clé/);
    expect(at('checks[0].http.matchers[3].body.regex')).toMatch(/^référence arrière/);
    expect(at('checks[0].cases.match')).toMatch(/au moins un cas/);
    expect(at('checks[1]')).toMatch(/^règle manquante/);
    // Checked even though the schema refused the check.
    expect(at('checks[0].evidence')).toBe('paramètres différents entre fr ({url}) et en ({status})');
  });

  it('reports YAML syntax errors and bad envelopes with their file, and goes on with the others', () => {
    const dir = tempDir();
    const syntax = write(dir, 'a.yaml', 'version: 1\nchecks: [\n');
    const envelope = write(dir, 'b.yml', 'version: 2\nchecks: {}\nextra: 1\n');
    const empty = write(dir, 'c.yaml', '# rien\n');
    mkdirSync(join(dir, 'sub'));
    write(join(dir, 'sub'), 'ignored.yaml', 'not: read');

    const { issues } = errorOf([dir]);

    expect(issues.filter((i) => i.file === syntax)[0]?.message).toMatch(/^syntaxe YAML/);
    expect(issueAt(issues, envelope, 'version').line).toBe(1);
    expect(issueAt(issues, envelope, 'checks').message).toBe('liste attendue (reçu : table)');
    expect(issueAt(issues, envelope, 'extra').message).toMatch(/^clé inconnue « extra »/);
    expect(issueAt(issues, empty, '').message).toMatch(/^fichier vide/);
  });
});

describe('vigie.yml checks.custom', () => {
  it('resolves the custom check directories against the configuration file', () => {
    const config = parseConfig(
      'organisation: { name: Exemple }\nchecks:\n  custom: [controles, /etc/vigie/controles]\n',
      '/srv/vigie/vigie.yml',
    );
    expect(config.checks).toEqual({ custom: ['/srv/vigie/controles', '/etc/vigie/controles'] });
    expect(parseConfig('organisation: { name: Exemple }\n', '/srv/vigie/vigie.yml').checks).toBeUndefined();
  });
});
