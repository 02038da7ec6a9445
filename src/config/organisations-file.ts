import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { InvalidFileError, type Issue } from '../domain/index.js';
import { ORGANISATION_ID, type Organisation } from '../domain/organisation.js';
import { msg } from '../i18n/index.js';
import { formatPath } from './format-path.js';
import { sortByLine, validateWithSchema } from './schema-issues.js';
import { said } from './schema-texts.js';
import { readYamlFile } from './yaml-source.js';

/** The registry's file name, in the base data directory. */
export const ORGANISATIONS_FILE = 'organisations.yml';

const id = () => z.string().regex(ORGANISATION_ID, { error: said('orgs.file.bad-id') });

const organisationsFileSchema = z.strictObject({
  version: z.literal(1),
  organisations: z
    .array(
      z.strictObject({
        id: id(),
        name: z.string().trim().min(1).max(200).optional(),
        inventory: z.string().trim().min(1),
        groups: z.array(id()).optional(),
      }),
    )
    .default([]),
});

/**
 * Reads the registry of organisations (`organisations.yml`): a missing file is an empty registry;
 * an invalid one is an `InvalidFileError` (exit 3) naming every problem with its line. Relative
 * inventory paths are read from the file's directory.
 */
export function readOrganisationsFile(file: string): Organisation[] {
  if (!fs.existsSync(file)) return [];
  const source = readYamlFile(file);
  const { data, issues } = validateWithSchema(organisationsFileSchema, source);
  const hint = msg('orgs.file.hint');
  if (data === undefined) throw new InvalidFileError(file, sortByLine(issues), { hint });
  const problems: Issue[] = [];
  const seen = new Set<string>();
  data.organisations.forEach((o, index) => {
    if (seen.has(o.id)) {
      const at = ['organisations', index, 'id'];
      const line = source.lineOf(at);
      const text = msg('orgs.file.duplicate', { id: o.id });
      problems.push({
        path: formatPath(at),
        ...(line === undefined ? {} : { line }),
        message: text.fallback,
        i18n: text,
      });
    }
    seen.add(o.id);
  });
  if (problems.length > 0) throw new InvalidFileError(file, problems, { hint });
  return data.organisations.map((o) => ({
    id: o.id,
    ...(o.name === undefined ? {} : { name: o.name }),
    inventory: path.resolve(path.dirname(file), o.inventory),
    groups: [...new Set(o.groups ?? [])],
  }));
}

/** The registry as YAML, ready to be written (sorted by id). */
export function organisationsYaml(organisations: readonly Organisation[]): string {
  const sorted = [...organisations].sort((a, b) => a.id.localeCompare(b.id));
  return stringify({
    version: 1,
    organisations: sorted.map((o) => ({
      id: o.id,
      ...(o.name === undefined ? {} : { name: o.name }),
      inventory: o.inventory,
      ...(o.groups.length === 0 ? {} : { groups: o.groups }),
    })),
  });
}
