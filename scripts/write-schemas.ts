// Regenerates schemas/*.schema.json from the output contracts in test/contracts.
import fs from 'node:fs';
import { discoverJsonSchema } from '../test/contracts/discover-result.contract.js';
import { CONTRACTS, jsonSchemaOf } from '../test/contracts/scan-result.contract.js';

const write = (name: string, schema: unknown): void => {
  const file = new URL(`../schemas/${name}.schema.json`, import.meta.url);
  fs.writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`écrit : schemas/${name}.schema.json`);
};

for (const name of Object.keys(CONTRACTS) as (keyof typeof CONTRACTS)[]) write(name, jsonSchemaOf(name));
write('discover-result', discoverJsonSchema());
