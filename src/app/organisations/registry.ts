import fs from 'node:fs';
import path from 'node:path';
import {
  ORGANISATIONS_FILE,
  organisationsYaml,
  readOrganisationsFile,
} from '../../config/organisations-file.js';
import { closestKey, ConfigNotFoundError } from '../../config/index.js';
import { UsageError } from '../../domain/index.js';
import { GROUP_ID, isOrganisationId, type Organisation } from '../../domain/organisation.js';
import { writePrivateFileAtomic } from '../../files/index.js';
import { msg } from '../../i18n/index.js';

/** The registry of organisations: `organisations.yml` in the base data directory. */
export function registryFile(baseDataDir: string): string {
  return path.join(baseDataDir, ORGANISATIONS_FILE);
}

/** The registered organisations (none without a registry file). */
export function listOrganisations(baseDataDir: string): Organisation[] {
  return readOrganisationsFile(registryFile(baseDataDir));
}

/** An organisation's data directory (SQLite database, reports): `<base>/orgs/<id>`. */
export function organisationDataDir(baseDataDir: string, id: string): string {
  return path.join(baseDataDir, 'orgs', id);
}

export function checkOrganisationId(id: string): void {
  if (!isOrganisationId(id))
    throw new UsageError(msg('orgs.bad-id', { id }), { hint: msg('orgs.bad-id.hint') });
}

export function checkGroupId(group: string): void {
  if (!GROUP_ID.test(group))
    throw new UsageError(msg('orgs.bad-group', { group }), { hint: msg('orgs.bad-id.hint') });
}

/** The registered organisation `id`, or a usage error (with the closest id when one is near). */
export function findOrganisation(baseDataDir: string, id: string): Organisation {
  const all = listOrganisations(baseDataDir);
  const found = all.find((o) => o.id === id);
  if (found) return found;
  if (all.length === 0)
    throw new UsageError(msg('orgs.none', { id, file: registryFile(baseDataDir) }), {
      hint: msg('orgs.none.hint'),
    });
  const suggestion = closestKey(
    id,
    all.map((o) => o.id),
  );
  throw new UsageError(
    suggestion === undefined
      ? msg('orgs.unknown', { id, known: all.map((o) => o.id).join(', ') })
      : msg('orgs.unknown.suggest', { id, suggestion }),
    { hint: msg('orgs.unknown.hint') },
  );
}

export interface AddOrganisationRequest {
  id: string;
  inventory: string;
  name?: string;
  groups?: readonly string[];
}

/**
 * Registers an organisation (or updates its entry when the id is registered already): the registry
 * is rewritten atomically, 0600, in its 0700 directory. Its data is not touched.
 */
export function registerOrganisation(
  baseDataDir: string,
  req: AddOrganisationRequest,
): { organisation: Organisation; updated: boolean } {
  checkOrganisationId(req.id);
  for (const g of req.groups ?? []) checkGroupId(g);
  const inventory = path.resolve(req.inventory);
  if (!fs.existsSync(inventory)) throw new ConfigNotFoundError(inventory);
  const all = listOrganisations(baseDataDir);
  const organisation: Organisation = {
    id: req.id,
    ...(req.name === undefined ? {} : { name: req.name }),
    inventory,
    groups: [...new Set(req.groups ?? [])].sort(),
  };
  const updated = all.some((o) => o.id === req.id);
  writePrivateFileAtomic(
    registryFile(baseDataDir),
    organisationsYaml([...all.filter((o) => o.id !== req.id), organisation]),
  );
  return { organisation, updated };
}

/** Unregisters an organisation; its data directory (or schema) is kept. */
export function unregisterOrganisation(baseDataDir: string, id: string): Organisation {
  const organisation = findOrganisation(baseDataDir, id);
  writePrivateFileAtomic(
    registryFile(baseDataDir),
    organisationsYaml(listOrganisations(baseDataDir).filter((o) => o.id !== id)),
  );
  return organisation;
}

/** The members of a group, by id; an unknown group is a usage error naming the known ones. */
export function groupMembers(baseDataDir: string, group: string): Organisation[] {
  checkGroupId(group);
  const all = listOrganisations(baseDataDir);
  const members = all.filter((o) => o.groups.includes(group));
  if (members.length > 0) return members;
  const groups = [...new Set(all.flatMap((o) => o.groups))].sort();
  const suggestion = closestKey(group, groups);
  throw new UsageError(
    suggestion === undefined
      ? msg('orgs.group.unknown', { group, known: groups.join(', ') || '—' })
      : msg('orgs.group.unknown.suggest', { group, suggestion }),
    { hint: msg('orgs.group.unknown.hint') },
  );
}
