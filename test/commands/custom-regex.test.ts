import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ChecksValidateCommand from '../../src/commands/checks/validate.js';
import ScanCommand from '../../src/commands/scan.js';
import type { ScanResult } from '../../src/domain/index.js';
import { runCommand } from '../helpers/run-command.js';

// A loopback address of its own: the banner server's port is written in the check file.
const HOST = '127.71.0.1';
/** Exponential for a backtracking engine: 2^40 ways to split 40 « a » before failing on « ! ». */
const EVIL = '^(a|a)*$';
const HOSTILE_BANNER = `${'a'.repeat(40)}!`;

let dir: string;
let server: net.Server;
let port: number;

function customCheck(id: string, regex: string, cases: string): string {
  return `  - id: ${id}
    severity: low
    title: { fr: Bannière, en: Banner }
    evidence: { fr: '{banner}', en: '{banner}' }
    remediation: { fr: Corriger., en: Fix. }
    references: []
    tcp:
      port: ${port}
      matchers:
        - banner: { regex: '${regex}' }
    cases:
${cases}
`;
}

function inventory(name: string, customDir: string): string {
  const file = path.join(dir, `${name}.yml`);
  fs.writeFileSync(
    file,
    `organisation: { name: Test }
scan: { timeoutMs: 1500 }
checks: { custom: [${customDir}] }
assets:
  - id: banniere
    name: Bannière
    owner: DSI
    criticality: low
    hosts: [{ name: banniere.vigie.test, address: ${HOST} }]
    ports: [${port}]
`,
  );
  return file;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-regex-'));
  server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end(HOSTILE_BANNER);
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('custom check regexes run in linear time (RE2)', () => {
  it('validates ^(a|a)*$ with a hostile case at once, through vigie.yml checks.custom', async () => {
    const custom = path.join(dir, 'evil');
    fs.mkdirSync(custom);
    fs.writeFileSync(
      path.join(custom, 'evil.yaml'),
      `version: 1\nchecks:\n${customCheck(
        'custom.tcp.evil',
        EVIL,
        `      match: [{ banner: aaaa }]\n      noMatch: [{ banner: "${HOSTILE_BANNER}" }]`,
      )}`,
    );
    const file = inventory('validate', 'evil');
    const out = await runCommand(ChecksValidateCommand, ['-i', file, '--json']);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.json<{ custom: number }>().custom).toBe(4);
  });

  it('scans a server sending 40 « a » and « ! » with that check, and the scan finishes', async () => {
    const file = inventory('scan', 'evil');
    const out = await runCommand(ScanCommand, ['-i', file, '--only', 'services', '--no-save', '--json'], {
      VIGIE_DATA_DIR: path.join(dir, 'data'),
    });
    expect(out.exitCode, out.stderr).toBe(0);
    const result = out.json<ScanResult>();
    const endpoint = result.endpoints.find((e) => e.port === port);
    expect(endpoint?.checks['custom.tcp.evil']).toBe('pass');
    expect(result.findings.filter((f) => f.checkId === 'custom.tcp.evil')).toEqual([]);
  });

  it('refuses backreferences and lookaround at validation, with file, path and line (exit 3)', async () => {
    const custom = path.join(dir, 'unsupported');
    fs.mkdirSync(custom);
    const checkFile = path.join(custom, 'unsupported.yaml');
    fs.writeFileSync(
      checkFile,
      `version: 1\nchecks:\n${customCheck(
        'custom.tcp.backref',
        '(a)\\1',
        '      match: [{ banner: aa }]\n      noMatch: [{ banner: ab }]',
      )}${customCheck(
        'custom.tcp.lookahead',
        'a(?=b)',
        '      match: [{ banner: ab }]\n      noMatch: [{ banner: ac }]',
      )}`,
    );
    const file = inventory('unsupported', 'unsupported');
    const out = await runCommand(ChecksValidateCommand, ['-i', file, '--json']);
    expect(out.exitCode).toBe(3);
    const issues = out.json<{
      error: { issues: { file: string; path: string; line?: number; message: string }[] };
    }>().error.issues;
    expect(issues).toEqual([
      expect.objectContaining({
        file: checkFile,
        path: 'checks[0].tcp.matchers[0].banner.regex',
        line: 12,
      }),
      expect.objectContaining({
        file: checkFile,
        path: 'checks[1].tcp.matchers[0].banner.regex',
        line: 25,
      }),
    ]);
    expect(issues[0]?.message).toMatch(/^référence arrière .* temps linéaire/);
    expect(issues[1]?.message).toMatch(/^assertion avant ou arrière .* temps linéaire/);
    const text = await runCommand(ChecksValidateCommand, ['-i', file]);
    expect(text.exitCode).toBe(3);
    expect(text.stderr).toContain('unsupported.yaml');
  });
});
