import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inventoryEndpointCount, inventoryEndpoints, loadConfig } from '../../src/config/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function configFrom(text: string): ReturnType<typeof loadConfig> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-endpoints-'));
  dirs.push(dir);
  const file = join(dir, 'vigie.yml');
  writeFileSync(file, text);
  return loadConfig(file);
}

describe('inventoryEndpoints', () => {
  it('expands host × port, keeps pinned addresses, falls back to the default ports (implicit) and removes duplicates', () => {
    const config = configFrom(`organisation: { name: X }
assets:
  - id: portail
    name: Portail
    owner: DSI
    criticality: high
    hosts:
      - www.exemple.fr
      - { name: api.exemple.fr, address: 203.0.113.10 }
    ports: [443, 80, 443]
  - id: doublon
    name: Même hôte ailleurs
    owner: DSI
    criticality: low
    hosts: [WWW.exemple.fr, 203.0.113.30]
    ports: [443]
  - id: messagerie
    name: Messagerie
    owner: DSI
    criticality: medium
    hosts: [mail.exemple.fr]
`);

    expect(inventoryEndpoints(config, [443, 22])).toEqual([
      { host: 'www.exemple.fr', port: 443, assetId: 'portail' },
      { host: 'www.exemple.fr', port: 80, assetId: 'portail' },
      { host: 'api.exemple.fr', address: '203.0.113.10', port: 443, assetId: 'portail' },
      { host: 'api.exemple.fr', address: '203.0.113.10', port: 80, assetId: 'portail' },
      { host: '203.0.113.30', port: 443, assetId: 'doublon' },
      // Default ports are marked implicit: nothing listening there is an observation, not an error.
      { host: 'mail.exemple.fr', port: 443, assetId: 'messagerie', implicit: true },
      { host: 'mail.exemple.fr', port: 22, assetId: 'messagerie', implicit: true },
    ]);
    // `inventory validate` counts them without making them.
    expect(inventoryEndpointCount(config, [443, 22])).toBe(7);
  });

  it('gives no endpoint for an empty inventory', () => {
    expect(inventoryEndpoints(configFrom('organisation: { name: X }\n'), [443])).toEqual([]);
    expect(inventoryEndpointCount(configFrom('organisation: { name: X }\n'), [443])).toBe(0);
  });
});
