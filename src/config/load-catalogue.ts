import { InvalidFileError, type Catalogue, type CheckMeta, type Issue } from '../domain/index.js';
import { msg } from '../i18n/index.js';
import { catalogueSchema } from './catalogue-schema.js';
import { sortByLine, validateWithSchema } from './schema-issues.js';
import { readYamlFile } from './yaml-source.js';

const HINT = msg('errlang.catalogue.hint');

/** Placeholders of a template: `{name}`. */
export const templateParams = (template: string): string[] =>
  [...template.matchAll(/\{([a-zA-Z0-9_]+)\}/g)].map((m) => m[1] ?? '');

/**
 * Reads checks/catalogue.yaml. Every problem at once (schema, duplicate IDs, templates whose French
 * and English placeholders differ), each with its path and line; an invalid file changes nothing.
 */
export function loadCatalogueFile(file: string): Catalogue {
  const source = readYamlFile(file);
  const { data, issues } = validateWithSchema(catalogueSchema, source);
  const checks = new Map<string, CheckMeta>();
  const at = (path: (string | number)[], message: string): Issue => {
    const line = source.lineOf(path);
    return {
      path: path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join(''),
      ...(line === undefined ? {} : { line }),
      message,
    };
  };
  // Cross-entry rules run on the raw document too, so they are reported along with schema issues.
  const raw = (source.value as { checks?: unknown } | null)?.checks;
  const seen = new Set<string>();
  (Array.isArray(raw) ? (raw as unknown[]) : []).forEach((entry, index) => {
    const e = (entry ?? {}) as { id?: unknown; evidence?: { fr?: unknown; en?: unknown } };
    if (typeof e.id === 'string') {
      if (seen.has(e.id)) issues.push(at(['checks', index, 'id'], `identifiant en double « ${e.id} »`));
      seen.add(e.id);
    }
    if (typeof e.evidence?.fr === 'string' && typeof e.evidence.en === 'string') {
      const fr = templateParams(e.evidence.fr).sort().join(',');
      const en = templateParams(e.evidence.en).sort().join(',');
      if (fr !== en)
        issues.push(
          at(['checks', index, 'evidence'], `paramètres différents entre fr ({${fr}}) et en ({${en}})`),
        );
    }
  });
  for (const { playbook, ...rest } of data?.checks ?? []) {
    checks.set(rest.id, playbook === undefined ? rest : { ...rest, playbook });
  }
  if (data === undefined || issues.length > 0)
    throw new InvalidFileError(file, sortByLine(issues), { hint: HINT });
  return { version: data.version, checks };
}
