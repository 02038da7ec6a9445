import { formatPath } from './format-path.js';
import { readYamlFile } from './yaml-source.js';

/** Where a data file names a playbook: the entry, and the line to fix when the playbook does not exist. */
export interface PlaybookReference {
  file: string;
  /** `checks[12].playbook` */
  path: string;
  line?: number;
  /** The entry's `id` (or `name`, for a service). */
  entry: string;
  playbook: string;
}

/**
 * The `playbook:` fields of the entries of a YAML data file (`checks:` of the catalogue or of a
 * custom-check file, `services:` of the risky-service catalogue). Meant for files already validated.
 */
export function playbookReferencesIn(
  file: string,
  list: 'checks' | 'services',
  key: 'id' | 'name',
): PlaybookReference[] {
  const source = readYamlFile(file);
  const entries = (source.value as Record<string, unknown> | null)?.[list];
  if (!Array.isArray(entries)) return [];
  const refs: PlaybookReference[] = [];
  (entries as unknown[]).forEach((item, index) => {
    const e = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const entry = e[key];
    const playbook = e['playbook'];
    if (typeof entry !== 'string' || typeof playbook !== 'string') return;
    const path = [list, index, 'playbook'];
    const line = source.lineOf(path);
    refs.push({ file, path: formatPath(path), ...(line === undefined ? {} : { line }), entry, playbook });
  });
  return refs;
}
