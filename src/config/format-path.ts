export type DocumentPath = readonly (string | number)[];

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** `['assets', 3, 'hosts', 0, 'name']` → `assets[3].hosts[0].name`; the root is the empty string. */
export function formatPath(path: DocumentPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
