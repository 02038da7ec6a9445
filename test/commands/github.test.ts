import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GithubSyncResult } from '../../src/app/github/index.js';
import GithubSyncCommand from '../../src/commands/github/sync.js';
import { openStore } from '../../src/store/index.js';
import { startGithubApiServer, type GithubApiServer } from '../helpers/github-api-server.js';
import { runCommand } from '../helpers/run-command.js';

const TOKEN = 'ghp_TESTTOKEN9876543210zyxwvuZYXWVU987654';
let dir = '';
let inventory = '';
let server: GithubApiServer;
let env: Record<string, string | undefined> = {};

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-github-cmd-'));
  server = await startGithubApiServer({ token: TOKEN });
  inventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventory,
    `organisation: { name: Commune Test }
assets:
  - { id: portail, name: Portail, owner: DSI web, criticality: high, hosts: [{ name: www.commune.test }], ports: [443] }
github: { repository: exemple/securite, apiUrl: "${server.apiUrl}", allowInsecureLoopback: true, labelPrefix: secu }
`,
  );
  env = { VIGIE_DATA_DIR: path.join(dir, 'data'), VIGIE_GITHUB_TOKEN: TOKEN, VIGIE_LANG: undefined };
  fs.mkdirSync(path.join(dir, 'data'));
  const store = openStore(path.join(dir, 'data'));
  const now = new Date().toISOString();
  await store.runs.save({
    id: 'run-1',
    startedAt: now,
    finishedAt: now,
    scoringVersion: 'test',
    targets: ['inventory'],
    endpoints: [
      {
        host: 'www.commune.test',
        port: 443,
        assetId: 'portail',
        status: 'assessed',
        checks: { 'tls.cert.weak-signature': 'fail' },
      },
    ],
    findings: [
      {
        fingerprint: 'c0ffee0123456789',
        checkId: 'tls.cert.weak-signature',
        severity: 'high',
        category: 'tls',
        host: 'www.commune.test',
        port: 443,
        assetId: 'portail',
        details: { subject: 'CN=www.commune.test', algorithm: 'sha1WithRSAEncryption' },
      },
    ],
  });
  await store.close();
});
afterEach(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('vigie github sync', () => {
  it('prints the plan with --dry-run --json, then carries it out; the token never shows', async () => {
    const plan = await runCommand(GithubSyncCommand, ['-i', inventory, '--dry-run', '--json'], env);
    expect(plan.exitCode).toBe(0);
    const json = plan.json<GithubSyncResult>();
    expect(json).toMatchObject({ repository: 'exemple/securite', dryRun: true, minSeverity: 'medium' });
    expect(json.actions.map((a) => [a.kind, a.subject, a.done])).toEqual([
      ['create', 'finding:c0ffee0123456789', false],
    ]);
    expect(server.issues.size).toBe(0);

    const done = await runCommand(GithubSyncCommand, ['-i', inventory], env);
    expect(done.exitCode).toBe(0);
    expect(done.stdout).toContain('Synchronisation avec exemple/securite : 1 action(s) effectuée(s).');
    expect(done.stdout).toContain('créer');
    expect(server.issues.get(1)?.labels).toContain('secu:severity:high');
    for (const out of [plan, done]) expect(out.stdout + out.stderr).not.toContain(TOKEN);
  }, 20_000);

  it('exit codes: 3 without a token, 2 on a public repository, 4 on an API failure (token scrubbed)', async () => {
    const noToken = await runCommand(GithubSyncCommand, ['-i', inventory], {
      ...env,
      VIGIE_GITHUB_TOKEN: undefined,
    });
    expect(noToken.exitCode).toBe(3);
    expect(noToken.stderr).toContain('VIGIE_GITHUB_TOKEN');

    server.setPrivate(false);
    const pub = await runCommand(GithubSyncCommand, ['-i', inventory, '--json'], env);
    expect(pub.exitCode).toBe(2);
    expect(pub.stdout).toContain('--allow-public');

    const wrong = `${TOKEN}-wrong`;
    const denied = await runCommand(GithubSyncCommand, ['-i', inventory], {
      ...env,
      VIGIE_GITHUB_TOKEN: wrong,
    });
    expect(denied.exitCode).toBe(4);
    expect(denied.stderr).toContain('HTTP 401');
    expect(denied.stdout + denied.stderr).not.toContain('TESTTOKEN');
  });

  it('never sends the token over plain http: exit 3 unless allowed, and only towards the loopback', async () => {
    const write = (github: string): string => {
      const file = path.join(dir, 'http.yml');
      fs.writeFileSync(file, `organisation: { name: Commune Test }\n${github}\n`);
      return file;
    };
    const plain = await runCommand(
      GithubSyncCommand,
      ['-i', write(`github: { repository: exemple/securite, apiUrl: "${server.apiUrl}" }`), '--json'],
      env,
    );
    expect(plain.exitCode).toBe(3);
    const issues = plain.json<{ error: { issues: { path: string; line: number; message: string }[] } }>()
      .error.issues;
    expect(issues).toMatchObject([{ path: 'github.apiUrl', line: 2 }]);
    expect(issues[0]?.message).toContain('https://');

    const remote = await runCommand(
      GithubSyncCommand,
      [
        '-i',
        write(
          'github: { repository: exemple/securite, apiUrl: "http://192.0.2.10/api", allowInsecureLoopback: true }',
        ),
      ],
      env,
    );
    expect(remote.exitCode).toBe(3);
    expect(remote.stderr).toContain('github.allowInsecureLoopback');
    expect(remote.stderr).toContain('192.0.2.10');

    expect(server.calls).toEqual([]);
    expect(server.authorizations.size).toBe(0);
  });
});
