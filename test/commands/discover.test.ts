import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import DiscoverCommand from '../../src/commands/discover.js';
import InventoryAddCommand from '../../src/commands/inventory/add.js';
import { startDnsServer, type RunningDnsServer } from '../../src/demo/index.js';
import { discoverJsonSchema, discoverResultContract } from '../contracts/discover-result.contract.js';
import { runCommand } from '../helpers/run-command.js';

/* `vigie discover` as users run it: a loopback CT API named in vigie.yml and a loopback resolver. */

const ZONE = 'commune.vigie.test';
let dns: RunningDnsServer;
let ct: http.Server;
let dir: string;
let inventory: string;
let ctStatus = 200;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-discover-cmd-'));
  dns = await startDnsServer({
    host: '127.0.0.75',
    records: [
      { name: `www.${ZONE}`, type: 'A', data: '127.0.0.80' },
      { name: `ancien.${ZONE}`, type: 'A', data: '127.0.0.81' },
    ],
  });
  ct = http.createServer((_req, res) => {
    res.writeHead(ctStatus, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify([{ name_value: `www.${ZONE}\nancien.${ZONE}`, not_after: '2099-01-01T00:00:00' }]),
    );
  });
  await new Promise<void>((r) => ct.listen(0, '127.0.0.1', r));
  inventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventory,
    `organisation: { name: Commune }
dns: { resolver: "${dns.address}" }
discovery:
  certificateTransparency: { url: "http://127.0.0.1:${(ct.address() as AddressInfo).port}" }
assets:
  - id: site
    name: Site
    owner: DSI
    criticality: medium
    hosts: [www.${ZONE}]
    domains: [${ZONE}]
`,
  );
});

afterAll(async () => {
  await new Promise((r) => ct?.close(r));
  await dns?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const env = (data: string) => ({ VIGIE_DATA_DIR: path.join(dir, data), VIGIE_LANG: undefined });

describe('vigie discover', () => {
  it('prints the names by class and returns the --json contract', async () => {
    ctStatus = 200;
    const out = await runCommand(DiscoverCommand, ['-i', inventory, '--source', 'ct', '--json'], env('a'));
    expect(out.exitCode).toBe(0);
    const result = discoverResultContract.parse(out.json());
    expect(result.names.map((n) => [n.name, n.class])).toEqual([
      [`ancien.${ZONE}`, 'new'],
      [`www.${ZONE}`, 'known'],
    ]);
    expect(result.findings.map((f) => f.checkId)).toEqual(['inventory.unlisted']);
    const ajv = new Ajv2020.default({ allErrors: true });
    ajvFormats.default(ajv);
    const schema = JSON.parse(
      fs.readFileSync(new URL('../../schemas/discover-result.schema.json', import.meta.url), 'utf8'),
    ) as object;
    const validate = ajv.compile(schema);
    expect(validate(out.json()), JSON.stringify(validate.errors)).toBe(true);

    const text = await runCommand(
      DiscoverCommand,
      ['-i', inventory, '--source', 'ct', '--no-save'],
      env('a'),
    );
    expect(text.stdout).toContain(`ancien.${ZONE}`);
    expect(text.stdout).toContain('nouveau');
    expect(text.stdout).toContain('Découverte non enregistrée');
  });

  it('takes the new names into vigie.yml with inventory add --all-new, then finds them known', async () => {
    ctStatus = 200;
    const copy = path.join(dir, 'vigie-copie.yml');
    fs.copyFileSync(inventory, copy);
    await runCommand(DiscoverCommand, ['-i', copy, '--source', 'ct'], env('d'));
    const add = await runCommand(
      InventoryAddCommand,
      ['-i', copy, '--all-new', '--asset', 'site', '--json'],
      env('d'),
    );
    expect(add.exitCode).toBe(0);
    expect(add.json()).toMatchObject({ added: [`ancien.${ZONE}`], asset: 'site', written: true });
    const again = await runCommand(DiscoverCommand, ['-i', copy, '--source', 'ct', '--json'], env('d'));
    expect(discoverResultContract.parse(again.json()).names.map((n) => n.class)).toEqual(['known', 'known']);
  });

  it('says a failed source failed, with its reason', async () => {
    ctStatus = 503;
    const out = await runCommand(DiscoverCommand, ['-i', inventory, '--source', 'ct', '--no-save'], env('b'));
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(
      /ct \(commune\.vigie\.test\) : ÉCHEC \(protocol-error\) — l’API CT a répondu 503/,
    );
  });

  it('keeps the committed JSON schema in step with the contract', () => {
    const committed = JSON.parse(
      fs.readFileSync(new URL('../../schemas/discover-result.schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(committed, 'schemas/ is stale: run `npm run schemas`').toEqual(discoverJsonSchema());
  });

  it('refuses an unknown source as a usage error', async () => {
    const out = await runCommand(DiscoverCommand, ['-i', inventory, '--source', 'whois'], env('c'));
    expect(out.exitCode).toBe(2);
  });
});
