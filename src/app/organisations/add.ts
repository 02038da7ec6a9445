import type { Organisation } from '../../domain/organisation.js';
import {
  grantOrganisationAccess,
  isPostgresUrl,
  postgresLocation,
  type OrganisationAccess,
} from '../../store/index.js';
import type { AppContext } from '../shared/context.js';
import {
  registerOrganisation,
  registryFile,
  unregisterOrganisation,
  type AddOrganisationRequest,
} from './registry.js';
import { organisationStoreUrl } from './select.js';

export interface AddOrganisationResult {
  organisation: Organisation;
  /** The id was registered already: its entry was replaced. */
  updated: boolean;
  registry: string;
  /** On a PostgreSQL store: its schema and roles. */
  postgres?: OrganisationAccess;
}

/** The registry's directory and the deployment's store URL, whatever organisation is selected. */
export function baseOf(ctx: AppContext): { baseDataDir: string; storeUrl?: string } {
  const storeUrl = ctx.organisation ? ctx.organisation.baseStoreUrl : ctx.storeUrl;
  return {
    baseDataDir: ctx.organisation?.baseDataDir ?? ctx.dataDir,
    ...(storeUrl === undefined ? {} : { storeUrl }),
  };
}

/**
 * `vigie org add`: registers the organisation; on a PostgreSQL store, creates its schema and its
 * reader and writer roles (and adds the reader to its groups' reader roles).
 */
export async function addOrganisation(
  ctx: AppContext,
  req: AddOrganisationRequest,
): Promise<AddOrganisationResult> {
  const { baseDataDir, storeUrl } = baseOf(ctx);
  const registered = registerOrganisation(baseDataDir, req);
  const result: AddOrganisationResult = { ...registered, registry: registryFile(baseDataDir) };
  if (storeUrl !== undefined && isPostgresUrl(storeUrl)) {
    const loc = postgresLocation(organisationStoreUrl(storeUrl, req.id));
    result.postgres = await grantOrganisationAccess(loc.url, {
      id: registered.organisation.id,
      schema: loc.schema,
      groups: registered.organisation.groups,
    });
  }
  return result;
}

/** `vigie org remove`: unregisters the organisation; its data and roles are kept. */
export function removeOrganisation(ctx: AppContext, id: string): Organisation {
  return unregisterOrganisation(baseOf(ctx).baseDataDir, id);
}
