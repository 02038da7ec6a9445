import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { addDiscoveredNames } from '../../src/app/inventory/index.js';
import { addHostsToInventory, loadConfig } from '../../src/config/index.js';
import { fixedClock, InvalidFileError } from '../../src/domain/index.js';

const INVENTORY = `# Inventaire de la commune — tenu par la DSI
organisation: { name: Commune }   # nom officiel
assets:
  # le portail, refondu en 2025
  - id: portail
    name: Portail citoyen
    owner: DSI - pôle web
    criticality: high
    hosts: [www.commune.test]   # derrière le répartiteur
    description: "Ne pas confondre avec l'intranet"
  - id: messagerie
    name: Messagerie
    owner: Secrétariat
    criticality: medium
    domains: [commune.test]
`;

function tempInventory(text = INVENTORY): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-inv-add-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'vigie.yml');
  fs.writeFileSync(file, text);
  return file;
}

describe('inventory add', () => {
  it('adds names under an existing asset, keeping every comment and the rest of the file', () => {
    const file = tempInventory();
    const edit = addHostsToInventory(INVENTORY, file, {
      names: ['recette.commune.test', 'www.commune.test'],
      assetId: 'portail',
    });
    expect(edit.added).toEqual(['recette.commune.test']);
    expect(edit.alreadyListed).toEqual(['www.commune.test']);
    for (const comment of [
      '# Inventaire de la commune',
      '# nom officiel',
      '# le portail',
      '# derrière le répartiteur',
    ])
      expect(edit.text).toContain(comment);
    expect(edit.text).toContain("Ne pas confondre avec l'intranet");
    fs.writeFileSync(file, edit.text);
    const config = loadConfig(file);
    expect(config.assets[0]?.hosts.map((h) => h.name)).toEqual(['www.commune.test', 'recette.commune.test']);
    expect(config.assets[1]?.domains?.map((d) => d.name)).toEqual(['commune.test']);
  });

  it('creates an asset owned « à qualifier » when the one named does not exist; writes 0600', async () => {
    const file = tempInventory();
    const result = await addDiscoveredNames(
      { clock: fixedClock(new Date()), lang: 'fr', dataDir: path.join(path.dirname(file), 'data') },
      { inventoryFile: file, names: ['Ancien.Commune.test.'], allNew: false, assetId: 'a-trier' },
    );
    expect(result).toMatchObject({ added: ['ancien.commune.test'], createdAsset: true, written: true });
    const config = loadConfig(file);
    expect(config.assets.find((a) => a.id === 'a-trier')).toMatchObject({
      owner: 'à qualifier',
      criticality: 'medium',
      hosts: [{ name: 'ancien.commune.test' }],
    });
    expect(fs.readFileSync(file, 'utf8')).toContain('# le portail, refondu en 2025');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('writes nothing when the file does not parse, or when the result would not validate', async () => {
    const broken = 'organisation: { name: Commune\nassets: [\n';
    const file = tempInventory(broken);
    expect(() => addHostsToInventory(broken, file, { names: ['a.commune.test'], assetId: 'x' })).toThrow(
      InvalidFileError,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(broken);
    // An asset id vigie.yml would refuse: the edit is refused, nothing written.
    const good = tempInventory();
    await expect(
      addDiscoveredNames(
        { clock: fixedClock(new Date()), lang: 'fr', dataDir: path.join(path.dirname(good), 'data') },
        { inventoryFile: good, names: ['a.commune.test'], allNew: false, assetId: 'Pas Un Id' },
      ),
    ).rejects.toThrow(InvalidFileError);
    expect(fs.readFileSync(good, 'utf8')).toBe(INVENTORY);
  });
});
