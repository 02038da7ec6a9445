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
