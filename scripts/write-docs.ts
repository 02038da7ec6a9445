// Regenerates the generated pages of docs/ (`npm run docs`): the command reference and the check
// catalogue. test/docs/generated-docs.test.ts fails when the committed pages differ from these.
import fs from 'node:fs';
import { renderChecksReference } from './docs/checks-reference.js';
import { renderCommandsReference } from './docs/commands-reference.js';

const pages: readonly [string, () => string][] = [
  ['docs/commands.md', renderCommandsReference],
  ['docs/checks.md', renderChecksReference],
];

for (const [page, render] of pages) {
  fs.writeFileSync(new URL(`../${page}`, import.meta.url), render());
  console.log(`écrit : ${page}`);
}
