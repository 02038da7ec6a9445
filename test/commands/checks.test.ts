import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import ChecksListCommand from '../../src/commands/checks/list.js';
import ChecksValidateCommand from '../../src/commands/checks/validate.js';
import { runCommand } from '../helpers/run-command.js';

const CATALOGUE = new URL('../../checks/catalogue.yaml', import.meta.url).pathname;

describe('vigie checks', () => {
  it('validates the shipped catalogue against the implemented checks', async () => {
    const out = await runCommand(ChecksValidateCommand, []);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(/Catalogue valide : \d+ contrôle/);
  });

  it('lists every TLS check ID of the design, in French and in English', async () => {
    const fr = await runCommand(ChecksListCommand, ['--json']);
    const ids = fr.json<{ checks: { id: string }[] }>().checks.map((c) => c.id);
    for (const id of [
      'tls.protocol.sslv2',
      'tls.protocol.sslv3',
      'tls.protocol.tls10',
      'tls.protocol.tls11',
      'tls.protocol.no-tls12',
      'tls.protocol.no-tls13',
      'tls.cipher.null',
      'tls.cipher.anon',
      'tls.cipher.export',
      'tls.cipher.rc4',
      'tls.cipher.3des',
      'tls.cipher.cbc',
      'tls.cipher.static-rsa',
      'tls.kex.weak-dh',
      'tls.cert.expired',
      'tls.cert.expiring',
      'tls.cert.not-yet-valid',
      'tls.cert.self-signed',
      'tls.cert.untrusted',
      'tls.cert.incomplete-chain',
      'tls.cert.hostname-mismatch',
      'tls.cert.weak-key',
      'tls.cert.weak-signature',
      'tls.cert.long-validity',
      'scan.timeout',
      'scan.error',
    ]) {
      expect(ids).toContain(id);
    }
    const en = await runCommand(ChecksListCommand, ['--lang', 'en']);
    expect(en.stdout).toContain('Certificate expired');
  });

  it('rejects a broken catalogue with file, path and line, and exit 3', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-cat-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const text = fs
      .readFileSync(CATALOGUE, 'utf8')
      .replace('severity: critical', 'severity: apocalyptic')
      .replace('{days} day(s) ago', '{jours} day(s) ago');
    const file = path.join(dir, 'catalogue.yaml');
    fs.writeFileSync(file, text);
    const out = await runCommand(ChecksValidateCommand, [file]);
    expect(out.exitCode).toBe(3);
    expect(out.stderr).toMatch(/checks\[0\]\.severity \(ligne \d+\)/);
    expect(out.stderr).toContain('paramètres différents entre fr');
  });
});

describe('vigie checks validate --custom', () => {
  it('accepts a valid directory of custom checks and rejects a broken one with every problem (exit 3)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-custom-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const shipped = new URL('../../checks/custom/git-exposed.yaml', import.meta.url).pathname;
    const good = path.join(dir, 'good');
    fs.mkdirSync(good);
    fs.copyFileSync(shipped, path.join(good, 'git.yaml'));
    // The same check twice would collide with the package's own copy: rename it.
    fs.writeFileSync(
      path.join(good, 'git.yaml'),
      fs.readFileSync(shipped, 'utf8').replace('custom.http.git-head', 'custom.http.git-head-local'),
    );
    const ok = await runCommand(ChecksValidateCommand, ['--custom', good]);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/4 contrôle\(s\) personnalisé/);

    const bad = path.join(dir, 'bad');
    fs.mkdirSync(bad);
    fs.writeFileSync(
      path.join(bad, 'broken.yaml'),
      `version: 1
checks:
  - id: http.mine
    severity: extreme
    title: { fr: Test, en: Test }
    evidence: { fr: "{path}", en: "{path}" }
    remediation: { fr: R, en: R }
    references: []
    http:
      path: /x
      matchers:
        - body: { regex: "([a-z" }
    cases: { match: [{ status: 200, body: x }], noMatch: [{ status: 404 }] }
`,
    );
    const out = await runCommand(ChecksValidateCommand, ['--custom', bad, '--json']);
    expect(out.exitCode).toBe(3);
    const text = JSON.stringify(out.json());
    expect(text).toContain('broken.yaml');
    expect(text).toContain('custom.');
    expect(text).toContain('severity');
    expect(text).toMatch(/regex|expression/i);
  });
});
