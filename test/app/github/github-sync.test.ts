import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { markIncidentStep, openIncident, showIncident } from '../../../src/app/playbooks-incidents/index.js';
import { syncGithub, type GithubSyncRequest } from '../../../src/app/github/index.js';
import { fixedClock, GithubError, PublicRepositoryError } from '../../../src/domain/index.js';
import { createGithubClient } from '../../../src/github/index.js';
import { DATABASE_FILE, openStore, type StoredRunInput } from '../../../src/store/index.js';
import { startGithubApiServer, type GithubApiServer } from '../../helpers/github-api-server.js';

const TOKEN = 'ghp_TESTTOKEN0123456789abcdefABCDEF012345';
const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-02T08:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * HOUR);
const FP = 'a1b2c3d4e5f60718';
const FP2 = 'f0e1d2c3b4a59687';
const HOST = 'www.commune.test';
const CHECK = 'tls.cert.weak-signature';
/** Ports of the one endpoint host; five findings, two per page, make three pages. */
const PORTS = [443, 8443, 9443, 10443, 11443];

let dir: string;
let inventoryFile: string;
let server: GithubApiServer;

const ctx = (hours: number) => ({
  clock: fixedClock(at(hours)),
  lang: 'fr' as const,
  dataDir: path.join(dir, 'data'),
});

function client() {
  return createGithubClient({
    repository: 'exemple/securite',
    apiUrl: server.apiUrl,
    allowInsecureLoopback: true,
    token: TOKEN,
    perPage: 2,
    writeSpacingMs: 0,
    retryBaseMs: 5,
  });
}

const sync = (hours: number, req: Partial<GithubSyncRequest> = {}) =>
  syncGithub({ ...ctx(hours), github: client() }, { inventoryFile, ...req });

/** A run on the one endpoint: the findings given fail, the check passes otherwise. */
async function saveRun(hours: number, findings: { fp: string; port: number; signature: string }[]) {
  const run: StoredRunInput = {
    id: `run-${hours}`,
    startedAt: at(hours).toISOString(),
    finishedAt: at(hours).toISOString(),
    scoringVersion: 'test',
    targets: ['inventory'],
    endpoints: [...new Set([443, 8443, ...findings.map((f) => f.port)])].map((port) => ({
      host: HOST,
      port,
      assetId: 'portail',
      status: 'assessed' as const,
      checks: { [CHECK]: findings.some((f) => f.port === port) ? ('fail' as const) : ('pass' as const) },
    })),
    findings: findings.map((f) => ({
      fingerprint: f.fp,
      checkId: CHECK,
      severity: 'high' as const,
      category: 'tls' as const,
      host: HOST,
      port: f.port,
      assetId: 'portail',
      details: { subject: `CN=${HOST}`, algorithm: f.signature },
    })),
  };
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  const store = openStore(path.join(dir, 'data'));
  try {
    await store.runs.save(run);
  } finally {
    await store.close();
  }
}

/** Writes only (reads of the repository and the issue list left out), labels left out. */
const writes = () => server.sequence().filter((c) => !c.startsWith('GET'));

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-github-'));
  server = await startGithubApiServer({ token: TOKEN });
  inventoryFile = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventoryFile,
    `organisation: { name: Commune Test, timezone: Europe/Paris }
assets:
  - { id: portail, name: Portail citoyen, owner: DSI web, criticality: high, hosts: [{ name: ${HOST}, address: 127.0.0.1 }], ports: [${PORTS.join(', ')}] }
github: { repository: exemple/securite, apiUrl: "${server.apiUrl}", allowInsecureLoopback: true, minSeverity: medium }
`,
  );
});
afterEach(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('vigie github sync: findings as issues', () => {
  it('creates, updates on changed evidence only, closes when fixed, reopens on regression', async () => {
    await saveRun(0, [{ fp: FP, port: 443, signature: 'sha1WithRSAEncryption' }]);
    const first = await sync(1);
    expect(first.actions.map((a) => a.kind)).toEqual(['create']);
    expect(server.sequence()).toEqual(['GET /', 'GET /issues', 'POST /issues']);
    expect(server.calls[1]?.query).toMatchObject({ labels: 'vigie', state: 'all' });
    const issue = server.issues.get(1);
    expect(issue?.title).toBe(`[vigie] Signature de certificat faible (SHA-1 ou MD5) — ${HOST}:443`);
    expect(issue?.body).toContain(`<!-- vigie:finding:${FP} -->`);
    expect(issue?.body).toContain('### Remédiation');
    expect(issue?.body).toContain('Vu pour la première fois');
    expect(issue?.labels).toEqual([
      'vigie',
      'vigie:severity:high',
      'vigie:owner:DSI web',
      `vigie:check:${CHECK}`,
      'vigie:category:tls',
    ]);
    expect([...server.labels].sort()).toEqual([...issue!.labels].sort());

    // Same evidence, later run: nothing written.
    await saveRun(2, [{ fp: FP, port: 443, signature: 'sha1WithRSAEncryption' }]);
    server.calls.length = 0;
    expect((await sync(3)).actions).toEqual([]);
    expect(writes()).toEqual([]);

    // Evidence changed: the body is updated, the issue stays open.
    await saveRun(4, [{ fp: FP, port: 443, signature: 'md5WithRSAEncryption' }]);
    server.calls.length = 0;
    expect((await sync(5)).actions.map((a) => `${a.kind} #${a.issueNumber}`)).toEqual(['update #1']);
    expect(writes()).toEqual(['PATCH /issues/1']);
    expect(server.calls.at(-1)?.body).not.toHaveProperty('state');
    expect(server.issues.get(1)?.body).toContain('md5WithRSAEncryption');

    // Fixed: a comment with the evidence of the fix, then closed.
    await saveRun(6, []);
    server.calls.length = 0;
    await sync(7);
    expect(writes()).toEqual(['POST /issues/1/comments', 'PATCH /issues/1']);
    expect(server.calls.at(-1)?.body).toMatchObject({ state: 'closed' });
    expect(server.issues.get(1)?.comments.at(-1)).toContain(
      `l’analyse du ${at(6).toISOString()} (exécution run-6)`,
    );
    expect(server.issues.get(1)?.state).toBe('closed');

    // Regressed: reopened, then a comment.
    await saveRun(8, [{ fp: FP, port: 443, signature: 'md5WithRSAEncryption' }]);
    server.calls.length = 0;
    const reopened = await sync(9);
    expect(reopened.actions.map((a) => a.kind)).toEqual(['reopen', 'comment']);
    expect(writes()).toEqual(['PATCH /issues/1', 'POST /issues/1/comments']);
    expect(server.calls.find((c) => c.method === 'PATCH')?.body).toMatchObject({ state: 'open' });
    expect(server.issues.get(1)?.comments.at(-1)).toMatch(/^\*\*Régression\*\*/);
    expect(server.issues.size).toBe(1);
  });

  it('closes a waived finding with the reason and expiry, reopens it when the waiver lapses', async () => {
    await saveRun(0, [{ fp: FP, port: 443, signature: 'sha1WithRSAEncryption' }]);
    await sync(1);
    const store = openStore(path.join(dir, 'data'));
    await store.waivers.waive(FP, {
      reason: 'Appliance remplacée en décembre',
      until: at(48).toISOString(),
      by: 'rssi',
      at: at(2).toISOString(),
    });
    await store.close();
    server.calls.length = 0;
    await sync(3);
    expect(writes()).toEqual(['POST /issues/1/comments', 'PATCH /issues/1']);
    const comment = server.issues.get(1)?.comments.at(-1) ?? '';
    expect(comment).toContain('Appliance remplacée en décembre');
    expect(comment).toContain(at(48).toISOString());
    expect(server.issues.get(1)?.state).toBe('closed');

    server.calls.length = 0;
    await sync(50);
    expect(writes()).toEqual(['PATCH /issues/1', 'POST /issues/1/comments']);
    expect(server.issues.get(1)?.state).toBe('open');
  });

  it('leaves out findings below the minimum severity', async () => {
    await saveRun(0, [{ fp: FP, port: 443, signature: 'sha1WithRSAEncryption' }]);
    const result = await sync(1, { minSeverity: 'critical', dryRun: true });
    expect(result.actions).toEqual([]);
  });

  it('never creates a duplicate after the local database is deleted (hidden marker)', async () => {
    await saveRun(0, [
      { fp: FP, port: 443, signature: 'sha1WithRSAEncryption' },
      { fp: FP2, port: 8443, signature: 'sha1WithRSAEncryption' },
    ]);
    await sync(1);
    expect(server.issues.size).toBe(2);
    fs.rmSync(path.join(dir, 'data'), { recursive: true, force: true });
    await saveRun(0, [
      { fp: FP, port: 443, signature: 'sha1WithRSAEncryption' },
      { fp: FP2, port: 8443, signature: 'sha1WithRSAEncryption' },
    ]);
    server.calls.length = 0;
    const again = await sync(2);
    expect(again.recovered).toBe(2);
    expect(again.actions).toEqual([]);
    // Two issues, two per page: one page.
    expect(server.sequence()).toEqual(['GET /', 'GET /issues']);
    expect(server.issues.size).toBe(2);
    const store = openStore(path.join(dir, 'data'));
    expect((await store.githubLinks.list()).map((l) => [l.subject, l.issueNumber])).toEqual([
      [`finding:${FP}`, 1],
      [`finding:${FP2}`, 2],
    ]);
    await store.close();
  });

  it('dry run: prints the plan and changes nothing', async () => {
    await saveRun(0, [{ fp: FP, port: 443, signature: 'sha1WithRSAEncryption' }]);
    const plan = await sync(1, { dryRun: true });
    expect(plan.actions.map((a) => [a.kind, a.done])).toEqual([['create', false]]);
    expect(writes()).toEqual([]);
    expect(server.issues.size).toBe(0);
  });
});

describe('vigie github sync: paging through the issue and label lists', () => {
  /** One finding per port, `signature` as its evidence. */
  const fivePorts = (signature: string) =>
    PORTS.map((port, i) => ({ fp: `${FP.slice(0, 14)}0${i}`, port, signature }));
  const pages = (p: string) =>
    server.calls.filter((c) => c.method === 'GET' && c.path.endsWith(p)).map((c) => c.query['page'] ?? '1');

  it('recovers every issue from three pages after the database is lost, and reads three pages of labels', async () => {
    await saveRun(0, fivePorts('sha1WithRSAEncryption'));
    expect((await sync(1)).actions.map((a) => a.kind)).toEqual(Array(5).fill('create'));
    expect(server.issues.size).toBe(5);
    expect(server.labels.size).toBe(5);

    fs.rmSync(path.join(dir, 'data'), { recursive: true, force: true });
    await saveRun(0, fivePorts('sha1WithRSAEncryption'));
    server.calls.length = 0;
    const again = await sync(3);
    // Issues 5 and 4 on page 1, 3 and 2 on page 2, 1 on page 3: all five found by their marker.
    expect(pages('/issues')).toEqual(['1', '2', '3']);
    expect(again.recovered).toBe(5);
    expect(again.actions).toEqual([]);
    expect(server.issues.size).toBe(5);
    const store = openStore(path.join(dir, 'data'));
    expect((await store.githubLinks.list()).map((l) => l.issueNumber)).toEqual([1, 2, 3, 4, 5]);
    await store.close();

    // One evidence changes: the labels are listed (2 + 2 + 1 on three pages), none is created again.
    await saveRun(4, [
      ...fivePorts('sha1WithRSAEncryption').slice(0, 4),
      { ...fivePorts('md5WithRSAEncryption')[4]! },
    ]);
    server.calls.length = 0;
    expect((await sync(5)).actions.map((a) => `${a.kind} #${a.issueNumber}`)).toEqual(['update #5']);
    expect(pages('/labels')).toEqual(['1', '2', '3']);
    expect(server.sequence({ labels: true }).filter((c) => !c.startsWith('GET'))).toEqual([
      'PATCH /issues/5',
    ]);
  });

  it('refuses a Link header pointing off the API host: nothing sent there, the sync fails with exit 4', async () => {
    const elsewhere: string[] = [];
    const rogue = http.createServer((req, res) => {
      elsewhere.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    await new Promise<void>((resolve) => rogue.listen(0, '127.0.0.2', resolve));
    onTestFinished(() => {
      rogue.closeAllConnections();
      rogue.close();
    });
    const rogueBase = `http://127.0.0.2:${(rogue.address() as AddressInfo).port}`;

    await saveRun(0, fivePorts('sha1WithRSAEncryption'));
    await sync(1);
    fs.rmSync(path.join(dir, 'data'), { recursive: true, force: true });
    await saveRun(0, fivePorts('sha1WithRSAEncryption'));
    server.rewriteNextLink((next) => next.replace(server.apiUrl, rogueBase));
    server.calls.length = 0;

    const error = await sync(3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GithubError);
    expect(error).toMatchObject({ exitCode: 4 });
    const message = (error as GithubError).message;
    expect(message).toContain('la liste des tickets « vigie »');
    expect(message).toContain(`${rogueBase}/repos/exemple/securite/issues`);
    expect(message).toContain(server.apiUrl);
    expect(message).not.toContain(TOKEN);
    expect((error as GithubError).hint).toContain('github.apiUrl');
    expect(elsewhere).toEqual([]);
    // Only the first page was read, once (no retry), and nothing was written on a partial list.
    expect(server.sequence({ labels: true })).toEqual(['GET /', 'GET /issues']);
    expect(server.issues.size).toBe(5);
    const store = openStore(path.join(dir, 'data'));
    expect(await store.githubLinks.list()).toEqual([]);
    await store.close();
  });
});

describe('vigie github sync: incidents as task lists', () => {
  it('reads back a box ticked in GitHub, and ticks the box of a step done in vigie', async () => {
    const opened = await openIncident(ctx(0), {
      playbook: 'PB-008',
      title: 'Certificat du portail compromis',
      personalData: true,
      by: 'rssi',
      inventoryFile,
    });
    const [s1, s2] = opened.incident.steps;
    await sync(1);
    const issue = server.issues.get(1)!;
    expect(issue.title).toBe(`[vigie] ${opened.incident.id} — Certificat du portail compromis`);
    expect(issue.labels).toContain('vigie:incident');
    expect(issue.body).toContain(`- [ ] ${s1?.stepId} `);
    expect(issue.body).toContain('Notification à la CNIL');

    // Someone ticks the first box in GitHub.
    issue.body = issue.body.replace(`- [ ] ${s1?.stepId} `, `- [x] ${s1?.stepId} `);
    server.calls.length = 0;
    const back = await sync(2);
    expect(back.stepsFromGithub).toEqual([
      { incidentId: opened.incident.id, stepId: s1?.stepId, issueNumber: 1, done: true },
    ]);
    expect(writes()).toEqual([]);
    const step = (await showIncident(ctx(2), opened.incident.id)).incident.steps[0];
    expect(step).toMatchObject({ state: 'done', by: 'github' });

    // A step done in vigie ticks its box.
    await markIncidentStep(ctx(3), opened.incident.id, s2?.stepId ?? '', 'done', { by: 'rssi' });
    server.calls.length = 0;
    await sync(4);
    expect(writes()).toEqual(['PATCH /issues/1']);
    expect(server.issues.get(1)?.body).toContain(`- [x] ${s2?.stepId} `);
    expect(server.issues.get(1)?.body).toContain(`- [x] ${s1?.stepId} `);
  });
});

describe('vigie github sync: safety', () => {
  it('refuses a public repository unless allowed, saying why', async () => {
    server.setPrivate(false);
    await saveRun(0, [{ fp: FP, port: 443, signature: 'sha1WithRSAEncryption' }]);
    const error = await sync(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublicRepositoryError);
    expect(error).toMatchObject({ exitCode: 2 });
    expect((error as Error).message).toContain('publieraient');
    expect(server.sequence()).toEqual(['GET /']);
    await sync(1, { allowPublic: true });
    expect(server.issues.size).toBe(1);
  });

  it('waits out a primary and a secondary rate limit, then succeeds', async () => {
    await saveRun(0, [{ fp: FP, port: 443, signature: 'sha1WithRSAEncryption' }]);
    server.fail({ method: 'GET', path: /\/issues$/, kind: 'secondary-rate-limit' });
    server.fail({ method: 'POST', path: /\/issues$/, kind: 'rate-limit' });
    await sync(1);
    expect(server.sequence()).toEqual([
      'GET /',
      'GET /issues → 429',
      'GET /issues',
      'POST /issues → 403',
      'POST /issues',
    ]);
    expect(server.issues.size).toBe(1);
  }, 20_000);

  it('gives up beyond the budget: exit 4', async () => {
    await saveRun(0, [{ fp: FP, port: 443, signature: 'sha1WithRSAEncryption' }]);
    server.fail({ method: 'POST', path: /\/issues$/, kind: 'secondary-rate-limit', times: 5 });
    const error = await syncGithub(
      {
        ...ctx(1),
        github: createGithubClient({
          repository: 'exemple/securite',
          apiUrl: server.apiUrl,
          allowInsecureLoopback: true,
          token: TOKEN,
          writeSpacingMs: 0,
          maxRetries: 0,
        }),
      },
      { inventoryFile },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GithubError);
    expect(error).toMatchObject({ exitCode: 4, status: 429 });
  });

  it('a failure mid-sync exits 4, keeps only what succeeded, and the next sync converges', async () => {
    await saveRun(0, [
      { fp: FP, port: 443, signature: 'sha1WithRSAEncryption' },
      { fp: FP2, port: 8443, signature: 'sha1WithRSAEncryption' },
    ]);
    server.fail({ method: 'POST', path: /\/issues$/, kind: 'server-error', skip: 1, times: 3 });
    const error = await sync(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GithubError);
    expect(error).toMatchObject({ exitCode: 4, status: 500 });
    expect((error as Error).message).toContain('1 action(s) sur 2');
    expect(server.sequence()).toEqual([
      'GET /',
      'GET /issues',
      'POST /issues',
      'POST /issues → 500',
      'POST /issues → 500',
      'POST /issues → 500',
    ]);
    let store = openStore(path.join(dir, 'data'));
    expect(await store.githubLinks.list()).toHaveLength(1);
    await store.close();

    server.calls.length = 0;
    const again = await sync(2);
    expect(again.actions.map((a) => a.kind)).toEqual(['create']);
    expect(writes()).toEqual(['POST /issues']);
    expect(server.issues.size).toBe(2);
    store = openStore(path.join(dir, 'data'));
    expect(await store.githubLinks.list()).toHaveLength(2);
    await store.close();
    server.calls.length = 0;
    expect((await sync(3)).actions).toEqual([]);
  });

  it('never lets the token out: errors, bad credentials, the database', async () => {
    await saveRun(0, [{ fp: FP, port: 443, signature: 'sha1WithRSAEncryption' }]);
    await sync(1);
    expect(server.authorizations).toEqual(new Set([`token ${TOKEN}`]));
    server.fail({ method: 'GET', path: /\/issues$/, kind: 'server-error', times: 5 });
    const error = (await sync(2).catch((e: unknown) => e)) as GithubError;
    expect(error).toBeInstanceOf(GithubError);
    expect(`${error.message} ${error.hint ?? ''} ${error.stack ?? ''}`).not.toContain(TOKEN);
    const badToken = (await syncGithub(
      {
        ...ctx(2),
        github: createGithubClient({
          repository: 'exemple/securite',
          apiUrl: server.apiUrl,
          allowInsecureLoopback: true,
          token: `${TOKEN}x`,
        }),
      },
      { inventoryFile },
    ).catch((e: unknown) => e)) as GithubError;
    expect(badToken).toMatchObject({ exitCode: 4, status: 401 });
    expect(JSON.stringify(badToken) + String(badToken.message)).not.toContain('TESTTOKEN');
    for (const file of fs.readdirSync(path.join(dir, 'data'))) {
      expect(fs.readFileSync(path.join(dir, 'data', file)).includes(TOKEN)).toBe(false);
    }
    expect(fs.existsSync(path.join(dir, 'data', DATABASE_FILE))).toBe(true);
  });

  it('sends the token over TLS only: plain http is refused before any request (exit 4)', async () => {
    await saveRun(0, [{ fp: FP, port: 443, signature: 'sha1WithRSAEncryption' }]);
    const refused = (options: { apiUrl: string; allowInsecureLoopback?: boolean }): unknown => {
      try {
        return createGithubClient({ repository: 'exemple/securite', token: TOKEN, ...options });
      } catch (error) {
        return error;
      }
    };
    for (const error of [
      refused({ apiUrl: server.apiUrl }),
      refused({
        apiUrl: server.apiUrl.replace('127.0.0.1', '127.0.0.1.nip.test'),
        allowInsecureLoopback: true,
      }),
      refused({ apiUrl: 'http://192.0.2.10/api/v3', allowInsecureLoopback: true }),
    ]) {
      expect(error).toBeInstanceOf(GithubError);
      expect(error).toMatchObject({ exitCode: 4 });
      expect(String((error as GithubError).message)).not.toContain(TOKEN);
    }
    // The default client, built from vigie.yml, refuses the same way: the file is checked first.
    const fromFile = path.join(dir, 'http.yml');
    fs.writeFileSync(
      fromFile,
      `organisation: { name: Commune Test }\ngithub: { repository: exemple/securite, apiUrl: "${server.apiUrl}" }\n`,
    );
    const invalid = await syncGithub(ctx(1), {
      inventoryFile: fromFile,
      env: { VIGIE_GITHUB_TOKEN: TOKEN },
    }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ exitCode: 3 });
    expect(server.calls).toEqual([]);
    expect(server.authorizations.size).toBe(0);
  });
});

describe('vigie github sync: one at a time across processes sharing the store', () => {
  it('runs twice at once: one creates the issue, the other is refused (exit 4), no duplicate', async () => {
    await saveRun(0, [{ fp: FP, port: 443, signature: 'sha1WithRSAEncryption' }]);
    const outcomes = await Promise.allSettled([sync(1), sync(1)]);
    const done = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(done).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.reason).toMatchObject({ exitCode: 4 });
    expect(String((refused[0]?.reason as Error).message)).toMatch(/synchronise déjà GitHub/);
    expect(writes().filter((w) => w === 'POST /issues')).toHaveLength(1);
    // The lease is given back: the next run goes ahead.
    await expect(sync(2)).resolves.toBeDefined();
  });
});
