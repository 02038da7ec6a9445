import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import DiscoverCommand from '../../src/commands/discover.js';
import InventoryAddCommand from '../../src/commands/inventory/add.js';
import PlaybookExerciseCommand from '../../src/commands/playbook/exercise.js';
import PlaybookReviewCommand from '../../src/commands/playbook/review.js';
import InventoryValidateCommand from '../../src/commands/inventory/validate.js';
import { loadTakeoverCatalogue, loadTlsProfiles } from '../../src/config/index.js';
import { DemoAddressError } from '../../src/demo/demo-errors.js';
import { VigieError } from '../../src/domain/index.js';
import { openStore } from '../../src/store/index.js';
import { isoInput } from '../../src/store/iso-input.js';
import { SqliteDatabase } from '../../src/store/sqlite/database.js';
import { msg } from '../../src/i18n/index.js';
import { errorView } from '../../src/report/error-text.js';
import { runCommand } from '../helpers/run-command.js';

/* Texts the merged features (discovery, TLS profiles, takeover fingerprints) show, in English with --lang en. */

const FRENCH =
  /[àâçéèêëîïôûùœ«»’]|\b(attendue?|invalide|aucune?|nom|liste|plage|profil|corrigez|relancez|lancez)\b/i;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-texts2-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const env = (): Record<string, string | undefined> => ({
  VIGIE_LANG: undefined,
  VIGIE_DATA_DIR: path.join(dir, 'data'),
});

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function thrown(fn: () => unknown): VigieError {
  try {
    fn();
  } catch (error) {
    if (error instanceof VigieError) return error;
    throw error;
  }
  throw new Error('expected a VigieError');
}

async function rejected(promise: Promise<unknown>): Promise<VigieError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof VigieError) return error;
    throw error;
  }
  throw new Error('expected a VigieError');
}

describe('configuration of the merged features, in English', () => {
  it('inventory validate --lang en: profile, discovery range and CT URL problems', async () => {
    const file = write(
      'profiles.yml',
      `organisation: { name: Test, profile: "Not A Profile" }
discovery:
  certificateTransparency: { url: "ftp://ct.example" }
  networks: ["not-a-range", "10.0.0.0/16"]
assets: []
`,
    );
    const out = await runCommand(InventoryValidateCommand, ['-i', file, '--lang', 'en'], env());
    expect(out.exitCode).toBe(3);
    expect(out.stderr).toContain('profile expected, e.g. "anssi" or "mozilla-intermediate@5.8"');
    expect(out.stderr).toContain('IPv4 range expected (e.g. 192.0.2.0/24)');
    expect(out.stderr).toContain('range of 65536 addresses: at most 1024 per range (/22)');
    expect(out.stderr).toContain('invalid http(s) URL');
    expect(out.stderr).not.toMatch(FRENCH);

    const ca = write(
      'ca.yml',
      'organisation: { name: Test }\ntrust: { caFiles: [absente.pem] }\nassets: []\n',
    );
    const caOut = await runCommand(InventoryValidateCommand, ['-i', ca, '--lang', 'en'], env());
    expect(caOut.stderr).toContain(`file not found: ${path.join(dir, 'absente.pem')}`);

    const fr = await runCommand(InventoryValidateCommand, ['-i', file], env());
    expect(fr.stderr).toContain('plage IPv4 attendue (ex. 192.0.2.0/24)');
    expect(fr.stderr).toContain('profil attendu, ex. « anssi »');
  });

  it('takeover fingerprints: problems and hint in English', () => {
    const file = write(
      'takeover.yaml',
      `version: 1
providers:
  - id: Faux_Id
    name: Faux
    cname: [Faux.Test]
    nxdomain: false
    takeover: true
    references: [x]
    cases:
      - { cname: a.faux.test, dangling: true }
      - { cname: b.faux.test, dangling: true }
`,
    );
    const schema = errorView(
      'en',
      thrown(() => loadTakeoverCatalogue(file)),
    );
    const schemaText = JSON.stringify(schema);
    expect(schemaText).toContain('kebab-case identifier expected');
    expect(schemaText).toContain('lower-case DNS suffix expected (e.g. github.io)');
    expect(schema.hint).toBe(
      'fix the takeover fingerprints (checks/takeover.yaml), then run the tests again',
    );
    expect(schemaText).not.toMatch(FRENCH);

    const rules = write(
      'takeover-rules.yaml',
      `version: 1
providers:
  - id: faux
    name: Faux
    cname: [faux.test]
    nxdomain: false
    takeover: true
    references: [x]
    cases:
      - { cname: a.faux.test, dangling: true }
      - { cname: b.faux.test, dangling: true }
  - id: faux
    name: Faux encore
    cname: [faux2.test]
    nxdomain: true
    takeover: true
    references: [x]
    cases:
      - { cname: a.faux2.test, rcode: NOERROR, dangling: true }
      - { cname: b.faux2.test, rcode: NXDOMAIN, dangling: false }
`,
    );
    const view = errorView(
      'en',
      thrown(() => loadTakeoverCatalogue(rules)),
    );
    const messages = (view.issues ?? []).map((i) => i.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'duplicate identifier "faux"',
        'neither an NXDOMAIN rule nor an HTTP fingerprint: nothing would prove the resource is gone',
        'at least one "dangling: true" case and one "dangling: false" case',
        'case not verified: the fingerprint does not judge a.faux2.test dangling',
        'case not verified: the fingerprint does not judge b.faux2.test active',
      ]),
    );
    expect(JSON.stringify(view)).not.toMatch(FRENCH);
    const french = errorView(
      'fr',
      thrown(() => loadTakeoverCatalogue(rules)),
    );
    expect(french.issues?.map((i) => i.message)).toContain('identifiant « faux » en double');
  });

  it('TLS profiles: schema problems and a profile defined twice, in English', () => {
    const shipped = fs.readFileSync(path.resolve('checks/profiles/anssi-1.2.yaml'), 'utf8');
    const broken = write(
      'profiles-broken/anssi.yaml',
      shipped
        .replace(/^id: anssi$/m, 'id: ANSSI_X')
        .replace(/^version: '1.2'$/m, "version: 'v1'")
        .replace('TLS_AES_256_GCM_SHA384', 'TLS_NOT_A_SUITE'),
    );
    const view = errorView(
      'en',
      thrown(() => loadTlsProfiles(path.dirname(broken))),
    );
    const messages = (view.issues ?? []).map((i) => i.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'identifier expected in lower-case letters, digits and hyphens',
        'version expected, e.g. "5.8"',
        'unknown cipher suite (IANA name expected)',
      ]),
    );
    expect(view.hint).toBe('fix the TLS profile (checks/profiles/), then run `vigie checks profiles` again');
    expect(JSON.stringify(view)).not.toMatch(FRENCH);

    write('profiles-twice/a.yaml', shipped);
    write('profiles-twice/b.yaml', shipped);
    const twice = errorView(
      'en',
      thrown(() => loadTlsProfiles(path.join(dir, 'profiles-twice'))),
    );
    expect(twice.issues?.[0]?.message).toBe(
      `profile anssi@1.2 already defined in ${path.join(dir, 'profiles-twice', 'a.yaml')}`,
    );
  });
});

describe('vigie inventory add --lang en', () => {
  it('says in English that there is no name to add, or that a name is invalid', async () => {
    const file = write('add.yml', 'organisation: { name: Test }\nassets: []\n');
    const none = await runCommand(InventoryAddCommand, ['-i', file, '--lang', 'en'], env());
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('no name to add');
    expect(none.stderr).toContain('give names, or --all-new after vigie discover');
    expect(none.stderr).not.toMatch(FRENCH);

    const bad = await runCommand(InventoryAddCommand, ['-i', file, 'bad_name!', '--lang', 'en'], env());
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('invalid host name: "bad_name!"');
    expect(bad.stderr).not.toMatch(FRENCH);
  });

  it('creates the asset with an owner in the chosen language', async () => {
    const en = write('add-en.yml', 'organisation: { name: Test }\nassets: []\n');
    const out = await runCommand(InventoryAddCommand, ['-i', en, 'www.commune.test', '--lang', 'en'], env());
    expect(out.exitCode).toBe(0);
    expect(fs.readFileSync(en, 'utf8')).toContain('owner: to be qualified');
    const fr = write('add-fr.yml', 'organisation: { name: Test }\nassets: []\n');
    await runCommand(InventoryAddCommand, ['-i', fr, 'www.commune.test'], env());
    expect(fs.readFileSync(fr, 'utf8')).toContain('owner: à qualifier');
  });
});

describe('vigie discover --lang en', () => {
  let ct: http.Server;
  let answer: { status: number; body: string } = { status: 503, body: '' };
  beforeAll(async () => {
    ct = http.createServer((_req, res) => {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
    });
    await new Promise<void>((r) => ct.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => ct.close(() => r())));

  const inventory = (): string =>
    write(
      'discover.yml',
      `organisation: { name: Commune }
discovery:
  certificateTransparency: { url: "http://127.0.0.1:${(ct.address() as AddressInfo).port}" }
assets: []
`,
    );

  it('says why a failing CT source failed, in English (and in French by default)', async () => {
    const file = inventory();
    const args = ['-i', file, '--domain', 'commune.vigie.test', '--source', 'ct', '--no-save'];
    answer = { status: 503, body: '' };
    const out = await runCommand(DiscoverCommand, [...args, '--lang', 'en'], env());
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain('the CT API answered 503 for commune.vigie.test');
    expect(out.stdout).not.toMatch(/[àâçéèêëîïôûùœ«»’]/);

    answer = { status: 200, body: '{"not": "a list"}' };
    const json = await runCommand(DiscoverCommand, [...args, '--lang', 'en', '--json'], env());
    expect(json.json()).toMatchObject({
      sources: [
        {
          source: 'ct',
          status: 'failed',
          detail: 'CT API answer for commune.vigie.test: a list was expected',
        },
      ],
    });

    answer = { status: 503, body: '' };
    const fr = await runCommand(DiscoverCommand, args, env());
    expect(fr.stdout).toContain('l’API CT a répondu 503 pour commune.vigie.test');
  });

  it('refuses an invalid domain in English', async () => {
    const out = await runCommand(
      DiscoverCommand,
      ['-i', inventory(), '--domain', 'bad_domain!', '--source', 'ct', '--lang', 'en'],
      env(),
    );
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('invalid domain: "bad_domain!"');
    expect(out.stderr).not.toMatch(FRENCH);
  });
});

describe('vigie playbook review / exercise --date --lang en', () => {
  const pbEnv = (): Record<string, string | undefined> => ({ ...env(), VIGIE_PLAYBOOKS_DIR: undefined });

  it('refuses a malformed or future --date in English', async () => {
    const bad = await runCommand(
      PlaybookReviewCommand,
      ['PB-001', '--by', 'DSI', '--date', '2026-13-45', '--lang', 'en'],
      pbEnv(),
    );
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--date: invalid date "2026-13-45" (YYYY-MM-DD expected)');
    expect(bad.stderr).toContain('write YYYY-MM-DD, for example 2026-03-12');
    expect(bad.stderr).not.toMatch(FRENCH);

    const future = await runCommand(
      PlaybookReviewCommand,
      ['PB-001', '--by', 'DSI', '--date', '2999-01-01', '--lang', 'en'],
      pbEnv(),
    );
    expect(future.exitCode).toBe(2);
    expect(future.stderr).toContain('--date: the review of 2999-01-01 has not happened yet');

    const exercise = await runCommand(
      PlaybookExerciseCommand,
      ['PB-001', '--date', '2999-01-01', '--kind', 'tabletop', '--participants', '3', '--findings', 'x'],
      { ...pbEnv(), VIGIE_LANG: 'en' },
    );
    expect(exercise.exitCode).toBe(2);
    expect(exercise.stderr).toContain('--date: the exercise of 2999-01-01 has not happened yet');
    expect(exercise.stderr).not.toMatch(FRENCH);

    const fr = await runCommand(
      PlaybookReviewCommand,
      ['PB-001', '--by', 'DSI', '--date', '2026-13-45'],
      pbEnv(),
    );
    expect(fr.stderr).toContain('--date : date invalide « 2026-13-45 » (AAAA-MM-JJ attendu)');
  });
});

describe('vigie demo: an address of the estate not available', () => {
  it('says which one and what to do, in English', () => {
    const taken = errorView('en', new DemoAddressError('127.0.0.11', 8443, 'EADDRINUSE'));
    expect(taken.message).toBe(
      'the demo needs 127.0.0.11:8443, already taken by another program (EADDRINUSE)',
    );
    expect(taken.hint).toContain('stop what listens on 127.0.0.11:8443 (ss -ltnup | grep 8443)');
    const missing = errorView('en', new DemoAddressError('127.42.0.11', 8443, 'EADDRNOTAVAIL'));
    expect(missing.message).toBe('the demo needs the address 127.42.0.11, which this machine does not have');
    expect(missing.hint).toContain('sudo ifconfig lo0 alias 127.42.0.11 up');
    expect(JSON.stringify([taken, missing])).not.toMatch(FRENCH);
    expect(errorView('fr', new DemoAddressError('127.0.0.11', 8443, 'EADDRINUSE')).message).toContain(
      'déjà pris',
    );
  });
});

describe('storage failures of scans and discoveries, in English', () => {
  it('names what failed in the chosen language', () => {
    const file = path.join(dir, 'fake.db');
    const failing = {
      transaction: () => ({
        immediate: () => {
          throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
        },
      }),
    } as unknown as ConstructorParameters<typeof SqliteDatabase>[0];
    const h = new SqliteDatabase(failing, file);
    const err = thrown(() => h.write(msg('texts2.store.discovery.save', { id: 'd1' }), () => 1));
    expect(errorView('en', err).message).toBe(
      `failed to save discovery d1 (${file}): disk I/O error [SQLITE_IOERR]`,
    );
    expect(errorView('fr', err).message).toContain('échec de l’enregistrement de la découverte d1');
  });

  it('refuses an invalid number of scans in English', async () => {
    const store = openStore(path.join(dir, 'store-data'));
    try {
      const view = errorView('en', await rejected(store.runs.list(0)));
      expect(view.message).toBe('invalid number of scans: 0 (positive integer expected)');
      expect(
        errorView(
          'en',
          thrown(() => isoInput('nope', 'until')),
        ).message,
      ).toBe('invalid date for until: "nope"');
    } finally {
      await store.close();
    }
  });
});
