import { organisationSchema, type Organisation } from '../../domain/organisation.js';
import { isPostgresUrl } from '../../store/store-location.js';
import type { AppContext } from '../shared/context.js';
import { findOrganisation, organisationDataDir } from './registry.js';

/** What selecting an organisation changes in a command's context. */
export interface SelectedOrganisation {
  organisation: Organisation;
  /** Its data directory: `<base>/orgs/<id>`. */
  dataDir: string;
}

/**
 * The store URL of an organisation: a PostgreSQL URL gets the organisation's schema
 * (`?schema=org_<id>`) unless it names one itself; anything else is kept as it is.
 */
export function organisationStoreUrl(url: string, id: string): string {
  if (!isPostgresUrl(url)) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.searchParams.has('schema')) return url;
  parsed.searchParams.set('schema', organisationSchema(id));
  return parsed.toString();
}

/** `--org ID` (or VIGIE_ORG): the registered organisation and its data directory. */
export function selectOrganisation(baseDataDir: string, id: string): SelectedOrganisation {
  const organisation = findOrganisation(baseDataDir, id);
  return { organisation, dataDir: organisationDataDir(baseDataDir, id) };
}

/** A command's context narrowed to one organisation (its data directory, its PostgreSQL schema). */
export function organisationContext(
  ctx: AppContext,
  baseDataDir: string,
  organisation: Organisation,
): AppContext {
  const narrowed: AppContext = {
    ...ctx,
    dataDir: organisationDataDir(baseDataDir, organisation.id),
    organisation: { id: organisation.id, baseDataDir },
  };
  const baseUrl = ctx.organisation?.baseStoreUrl ?? ctx.storeUrl;
  if (baseUrl !== undefined) {
    narrowed.storeUrl = organisationStoreUrl(baseUrl, organisation.id);
    narrowed.organisation = { id: organisation.id, baseDataDir, baseStoreUrl: baseUrl };
  }
  return narrowed;
}
