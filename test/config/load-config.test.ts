import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigNotFoundError, loadConfig } from '../../src/config/index.js';
import { ExitCode, InvalidFileError } from '../../src/domain/index.js';
import type { Issue } from '../../src/domain/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-config-'));
  dirs.push(dir);
  return dir;
}

function writeConfig(text: string, dir = tempDir()): string {
  const file = join(dir, 'vigie.yml');
  writeFileSync(file, text);
  return file;
}

/** The issues of the InvalidFileError that loading `file` throws. */
function issuesOf(file: string): readonly Issue[] {
  try {
    loadConfig(file);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidFileError);
    // Each issue also carries its catalogue message (`i18n`): tested in test/commands/error-language.
    return (error as InvalidFileError).issues.map(({ i18n: _i18n, ...issue }) => issue);
  }
  throw new Error('loadConfig should have thrown');
}

const MINIMAL = `organisation:
  name: Métropole Exemple
assets:
  - id: portail
    name: Portail citoyen
    owner: DSI
    criticality: high
    hosts: [www.exemple.fr]
`;

describe('loadConfig', () => {
  it('loads a valid file and applies the defaults', () => {
    const config = loadConfig(writeConfig(MINIMAL));

    expect(config.organisation).toEqual({
      name: 'Métropole Exemple',
      language: 'fr',
      timezone: 'Europe/Paris',
    });
    expect(config.scan).toEqual({
      timeoutMs: 5000,
      concurrency: 32,
      certificateExpiryDays: 30,
      tlsEnumeration: 'profiles',
    });
    expect(config.schedule).toEqual({
      scan: '0 2 * * *',
      digest: '0 8 * * 1',
      certificateAlerts: '0 7 * * *',
      discovery: '0 3 * * 0',
    });
    expect(config.trust).toEqual({ caFiles: [] });
    expect(config.assets).toEqual([
      {
        id: 'portail',
        name: 'Portail citoyen',
        owner: 'DSI',
        criticality: 'high',
        hosts: [{ name: 'www.exemple.fr' }],
      },
    ]);
    expect(config.mail).toBeUndefined();
    expect(config.github).toBeUndefined();
  });

  it('accepts an empty asset list and fills mail and github defaults', () => {
    const config = loadConfig(
      writeConfig(`organisation: { name: Commune }
assets: []
mail: { host: smtp.exemple.fr, secure: true, from: "vigie <vigie@exemple.fr>" }
github: { repository: exemple/securite }
`),
    );
    expect(config.assets).toEqual([]);
    expect(config.mail).toEqual({
      host: 'smtp.exemple.fr',
      port: 465,
      secure: true,
      allowPlaintextLoopback: false,
      from: 'vigie <vigie@exemple.fr>',
      recipients: { managers: [], security: [] },
    });
    expect(config.github).toEqual({
      repository: 'exemple/securite',
      apiUrl: 'https://api.github.com',
      allowInsecureLoopback: false,
      minSeverity: 'medium',
      labelPrefix: 'vigie',
    });
  });

  it('loads the commented example shipped in examples/', () => {
    const config = loadConfig(fileURLToPath(new URL('../../examples/vigie.yml', import.meta.url)));

    expect(config.assets.map((a) => a.id)).toEqual(['portail', 'teleservices', 'mediatheque']);
    expect(config.assets[0]?.hosts).toEqual([
      { name: 'www.exemple.fr' },
      { name: 'api.exemple.fr', address: '203.0.113.10' },
    ]);
    expect(config.mail?.recipients.security).toEqual(['rssi@exemple.fr']);
    expect(config.github?.repository).toBe('exemple/securite');
    expect(config.dns?.resolver).toBe('9.9.9.9:53');
  });

  it('reports every problem at once, each with its path and line', () => {
    const file = writeConfig(`organisation:
  name: Métropole Exemple
assets:
  - id: portail
    name: Portail citoyen
    owner: DSI
    criticality: high
    hosts: [www.exemple.fr]
  - id: portail
    name: Intranet
    criticality: urgent
    hots: [intranet.exemple.fr]
    hosts:
      - name: intranet.exemple.fr
        address: 203.0.113.300
    ports: [443, 70000]
`);
    const issues = issuesOf(file);

    expect(issues).toEqual([
      { path: 'assets[1].owner', line: 9, message: 'champ obligatoire' },
      {
        path: 'assets[1].id',
        line: 9,
        message: "identifiant d'actif en double « portail » (déjà à la ligne 4)",
      },
      {
        path: 'assets[1].criticality',
        line: 11,
        message: 'valeur attendue parmi low, medium, high, critical',
      },
      { path: 'assets[1].hots', line: 12, message: 'clé inconnue « hots » (vouliez-vous dire « hosts » ?)' },
      { path: 'assets[1].hosts[0].address', line: 15, message: 'adresse IP invalide' },
      { path: 'assets[1].ports[1]', line: 16, message: 'port invalide (1–65535)' },
    ]);
  });

  it('puts the issues in the error message, with the file and the lines', () => {
    const file = writeConfig(`organisation: { name: X }\nasets: []\n`);
    expect(() => loadConfig(file)).toThrow(
      /asets \(ligne 2\) : clé inconnue « asets » \(vouliez-vous dire « assets » \?\)/,
    );
    expect(() => loadConfig(file)).toThrow(expect.objectContaining({ exitCode: ExitCode.InvalidInput }));
  });

  it('reports a plain host name on the host itself, and a host that is neither name nor table', () => {
    const issues = issuesOf(
      writeConfig(`organisation: { name: X }
assets:
  - id: a
    name: A
    owner: B
    criticality: low
    hosts:
      - "pas un nom!"
      - 42
      - 203.0.113.999
`),
    );
    expect(issues).toEqual([
      { path: 'assets[0].hosts[0]', line: 8, message: "nom d'hôte invalide : nom DNS ou adresse IP attendu" },
      { path: 'assets[0].hosts[1]', line: 9, message: "nom d'hôte ou table { name, address } attendu" },
      {
        path: 'assets[0].hosts[2]',
        line: 10,
        message: "nom d'hôte invalide : nom DNS ou adresse IP attendu",
      },
    ]);
  });

  it('accepts an asset that is only a mail domain, and refuses one with neither host nor domain', () => {
    const config = loadConfig(
      writeConfig(`organisation: { name: X }
assets:
  - id: messagerie
    name: Messagerie
    owner: DSI
    criticality: high
    domains: [exemple.fr, { name: exemple-mairie.fr, dkimSelectors: [mail2026] }]
`),
    );
    expect(config.assets[0]?.hosts).toEqual([]);
    expect(config.assets[0]?.domains?.map((d) => d.name)).toEqual(['exemple.fr', 'exemple-mairie.fr']);

    const issues = issuesOf(
      writeConfig(`organisation: { name: X }
assets:
  - id: vide
    name: Rien
    owner: DSI
    criticality: low
  - id: vide-aussi
    name: Rien non plus
    owner: DSI
    criticality: low
    hosts: []
    domains: []
`),
    );
    expect(issues).toEqual([
      { path: 'assets[0]', line: 3, message: 'au moins un hôte (hosts) ou un domaine (domains) attendu' },
      { path: 'assets[1]', line: 7, message: 'au moins un hôte (hosts) ou un domaine (domains) attendu' },
    ]);
  });

  it('takes playbooks.dir from the file’s directory, and reports it when it does not exist', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'fiches'));
    const config = loadConfig(writeConfig('organisation: { name: X }\nplaybooks: { dir: fiches }\n', dir));
    expect(config.playbooks?.dir).toBe(join(dir, 'fiches'));
    const issues = issuesOf(writeConfig('organisation: { name: X }\nplaybooks:\n  dir: absentes\n'));
    expect(issues.map((i) => [i.path, i.line])).toEqual([['playbooks.dir', 3]]);
    expect(issues[0]?.message).toMatch(/^répertoire introuvable : .*absentes$/);
  });

  it('checks the scan, schedule, mail, github and dns sections', () => {
    const issues = issuesOf(
      writeConfig(`organisation: { name: X, language: de }
scan: { timeoutMs: 50, concurrency: 2000 }
schedule: { digest: "chaque lundi" }
mail: { host: smtp.exemple.fr, port: "587", from: vigie@exemple.fr, recipients: { managers: [pas-une-adresse] } }
github: { repository: securite }
dns: { resolver: resolveur.exemple.fr }
`),
    );
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ['organisation.language', 1],
      ['scan.timeoutMs', 2],
      ['scan.concurrency', 2],
      ['schedule.digest', 3],
      ['mail.port', 4],
      ['mail.recipients.managers[0]', 4],
      ['github.repository', 5],
      ['dns.resolver', 6],
    ]);
    expect(issues.find((i) => i.path === 'scan.timeoutMs')?.message).toBe('valeur trop petite (minimum 100)');
    expect(issues.find((i) => i.path === 'github.repository')?.message).toMatch(/propriétaire\/nom/);
  });

  it('refuses secrets in the file and names the environment variable to use, without echoing them', () => {
    const file = writeConfig(`organisation: { name: X }
mail:
  host: smtp.exemple.fr
  from: vigie@exemple.fr
  password: s3cr3t-smtp
github:
  repository: exemple/securite
  token: ghp_s3cr3t
`);
    let error: unknown;
    try {
      loadConfig(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidFileError);
    const issues = (error as InvalidFileError).issues;
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ['mail.password', 5],
      ['github.token', 8],
    ]);
    expect(issues[0]?.message).toContain('VIGIE_SMTP_PASSWORD');
    expect(issues[1]?.message).toContain('VIGIE_GITHUB_TOKEN');
    expect((error as Error).message).not.toMatch(/s3cr3t/);
  });

  it('secrets only over TLS: plain SMTP and plain http are refused where they could leak, with their path', () => {
    const issues = issuesOf(
      writeConfig(`organisation: { name: X, language: de }
mail:
  host: smtp.exemple.fr
  allowPlaintextLoopback: true
  user: vigie@exemple.fr
  from: vigie@exemple.fr
github: { repository: exemple/securite, apiUrl: "http://127.0.0.1:8080" }
`),
    );
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ['organisation.language', 1],
      ['mail.allowPlaintextLoopback', 4],
      ['mail.user', 5],
      ['github.apiUrl', 7],
    ]);
    expect(issues[1]?.message).toContain('boucle locale');
    expect(issues[3]?.message).toContain('https://');
    const remote = issuesOf(
      writeConfig(`organisation: { name: X }
github: { repository: exemple/securite, apiUrl: "http://ghes.exemple.fr/api/v3", allowInsecureLoopback: true }
`),
    );
    expect(remote.map((i) => [i.path, i.line])).toEqual([['github.allowInsecureLoopback', 2]]);
    expect(remote[0]?.message).toContain('ghes.exemple.fr');
  });

  it('accepts plain SMTP to a loopback relay without a user, and plain http to a loopback test server when asked', () => {
    const config = loadConfig(
      writeConfig(`organisation: { name: X }
mail: { host: 127.0.0.1, port: 25, allowPlaintextLoopback: true, from: vigie@exemple.fr }
github: { repository: exemple/securite, apiUrl: "http://[::1]:8080", allowInsecureLoopback: true }
`),
    );
    expect(config.mail).toMatchObject({ allowPlaintextLoopback: true, secure: false, port: 25 });
    expect(config.github).toMatchObject({ allowInsecureLoopback: true });
    const defaults = loadConfig(
      writeConfig(`organisation: { name: X }
mail: { host: smtp.exemple.fr, from: vigie@exemple.fr }
github: { repository: exemple/securite }
`),
    );
    expect(defaults.mail?.allowPlaintextLoopback).toBe(false);
    expect(defaults.github).toMatchObject({ apiUrl: 'https://api.github.com', allowInsecureLoopback: false });
  });

  it('reports a YAML syntax error with its line', () => {
    const issues = issuesOf(
      writeConfig(`organisation:
  name: X
assets:
  - id: a
    hosts: [www.exemple.fr
`),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]?.line).toBe(5);
    expect(issues[0]?.message).toMatch(/^syntaxe YAML/);
  });

  it('reports a key written twice as a syntax error on the second one', () => {
    const issues = issuesOf(writeConfig(`organisation: { name: X }\nscan: {}\nscan: {}\n`));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.line).toBe(3);
    expect(issues[0]?.message).toMatch(/clé en double/);
  });

  it('reports an empty file', () => {
    const issues = issuesOf(writeConfig(''));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/fichier vide/);
  });

  it('throws ConfigNotFoundError (exit code 3) for a missing file', () => {
    const file = join(tempDir(), 'absent.yml');
    let error: unknown;
    try {
      loadConfig(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigNotFoundError);
    expect(error).toMatchObject({ exitCode: 3, file, name: 'ConfigNotFoundError' });
    expect((error as ConfigNotFoundError).hint).toContain('vigie init');
  });

  it('resolves trust.caFiles relative to the directory of the file', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'pki'));
    writeFileSync(join(dir, 'pki', 'racine.pem'), 'not read here');
    const absolute = join(dir, 'autre.pem');
    writeFileSync(absolute, 'not read here');
    const config = loadConfig(
      writeConfig(`organisation: { name: X }\ntrust: { caFiles: [pki/racine.pem, ${absolute}] }\n`, dir),
    );
    expect(config.trust.caFiles).toEqual([join(dir, 'pki', 'racine.pem'), absolute]);
  });

  it('reports a trust.caFiles entry that does not exist', () => {
    const dir = tempDir();
    const issues = issuesOf(
      writeConfig(`organisation: { name: X }\ntrust:\n  caFiles:\n    - pki/absente.pem\n`, dir),
    );
    expect(issues).toEqual([
      {
        path: 'trust.caFiles[0]',
        line: 4,
        message: `fichier introuvable : ${join(dir, 'pki', 'absente.pem')}`,
      },
    ]);
  });
});
