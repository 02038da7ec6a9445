// Regenerates schemas/*.schema.json from the output contracts in test/contracts.
import fs from 'node:fs';
import { CONTRACTS, jsonSchemaOf } from '../test/contracts/scan-result.contract.js';

for (const name of Object.keys(CONTRACTS) as (keyof typeof CONTRACTS)[]) {
  const file = new URL(`../schemas/${name}.schema.json`, import.meta.url);
  fs.writeFileSync(file, `${JSON.stringify(jsonSchemaOf(name), null, 2)}\n`);
  console.log(`écrit : schemas/${name}.schema.json`);
}
