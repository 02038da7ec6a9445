import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import InventoryListCommand from '../../src/commands/inventory/list.js';
import InventoryValidateCommand from '../../src/commands/inventory/validate.js';
import { errorContract } from '../contracts/scan-result.contract.js';
import { runCommand } from '../helpers/run-command.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-inv-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

describe('vigie inventory', () => {
  it('validates the shipped example and lists its assets', async () => {
    const example = fileURLToPathSafe('../../examples/vigie.yml');
    const ok = await runCommand(InventoryValidateCommand, ['-i', example]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/est valide : 3 actif\(s\)/);
    const list = await runCommand(InventoryListCommand, ['-i', example, '--json']);
    const view = list.json<{
      assets: { id: string; criticality: string }[];
      endpoints: { host: string; address?: string }[];
    }>();
    expect(view.assets).toHaveLength(3);
    expect(view.endpoints.some((e) => e.address === '203.0.113.10')).toBe(true);
  });

  it('reports every problem at once with path and line, exit 3, and writes nothing', async () => {
    const file = write(
      'broken.yml',
      `organisation: { name: Test }
assets:
  - id: portail
    name: Portail
    owner: DSI
    criticality: high
    hosts: [www.exemple.fr]
  - id: portail
    name: Doublon
    criticality: extreme
    hosts: [api.exemple.fr]
    ports: [70000]
    hots: []
`,
    );
    const before = fs.readdirSync(dir).sort();
    const out = await runCommand(InventoryValidateCommand, ['-i', file, '--json'], {
      VIGIE_DATA_DIR: path.join(dir, 'data'),
    });
    expect(out.exitCode).toBe(3);
    const { error } = errorContract.parse(out.json());
    const byPath = Object.fromEntries((error.issues ?? []).map((i) => [i.path, i]));
    expect(byPath['assets[1].criticality']).toMatchObject({ line: 10 });
    expect(byPath['assets[1].owner']?.message).toContain('obligatoire');
    expect(byPath['assets[1].ports[0]']).toMatchObject({ line: 12 });
    expect(byPath['assets[1].hots']?.message).toContain('hosts');
    expect(JSON.stringify(error.issues)).toContain('en double');
    expect(fs.readdirSync(dir).sort()).toEqual(before);

    const human = await runCommand(InventoryValidateCommand, ['-i', file]);
    expect(human.stderr).toContain('assets[1].criticality (ligne 10)');
  });

  it('refuses a vigie.yml over 8 MB, or nested beyond reason, with exit 3 and a clear message', async () => {
    const head = 'organisation: { name: Test }\nassets: []\n#';
    const big = write('big.yml', `${head}${'x'.repeat(8 * 1024 * 1024 + 1 - head.length)}\n`);
    const tooBig = await runCommand(InventoryValidateCommand, ['-i', big]);
    expect(tooBig.exitCode).toBe(3);
    expect(tooBig.stderr).toMatch(/fichier trop volumineux : 8,0 Mo, au-delà de la limite de 8,0 Mo/);

    const deep = write('deep.yml', `organisation: { name: Test }\nassets: ${'['.repeat(5000)}`);
    const tooDeep = await runCommand(InventoryValidateCommand, ['-i', deep, '--json']);
    expect(tooDeep.exitCode).toBe(3);
    const { error } = errorContract.parse(tooDeep.json());
    expect(error.issues).toEqual([
      expect.objectContaining({
        line: 2,
        message: expect.stringMatching(/imbrication trop profonde/) as unknown,
      }),
    ]);
  });

  it('reads schedule.* with the daemon’s own cron parser: an hour of 25 fails here, not at daemon start', async () => {
    const file = write(
      'schedule.yml',
      `organisation: { name: Test }
schedule:
  scan: "0 25 * * *"
  digest: "0 0 30 2 *"
  certificateAlerts: "*/2 * * * * *"
  discovery: "chaque semaine"
`,
    );
    const out = await runCommand(InventoryValidateCommand, ['-i', file, '--json']);
    expect(out.exitCode).toBe(3);
    const { error } = errorContract.parse(out.json());
    expect((error.issues ?? []).map((i) => [i.path, i.line])).toEqual([
      ['schedule.scan', 3],
      ['schedule.digest', 4],
      ['schedule.discovery', 6],
    ]);
    const [scan, digest] = error.issues ?? [];
    expect(scan?.message).toContain('« 0 25 * * * »');
    expect(scan?.message).toMatch(/hour: 25/);
    expect(digest?.message).toContain('ne se déclenche jamais');
    const human = await runCommand(InventoryValidateCommand, ['-i', file]);
    expect(human.exitCode).toBe(3);
    expect(human.stderr).toContain('schedule.scan (ligne 3)');
  });
});

function fileURLToPathSafe(rel: string): string {
  return new URL(rel, import.meta.url).pathname;
}
