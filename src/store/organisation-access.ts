import type { OrganisationAccess, OrganisationAccessRequest } from './postgres/organisation-roles.js';

export type { OrganisationAccess, OrganisationAccessRequest };

/**
 * Creates an organisation's schema and its reader and writer roles in a PostgreSQL database (the
 * driver is loaded only here, when asked for: a SQLite deployment never loads it).
 */
export async function grantOrganisationAccess(
  url: string,
  req: OrganisationAccessRequest,
): Promise<OrganisationAccess> {
  const roles = await import('./postgres/organisation-roles.js');
  return roles.grantOrganisationAccess(url, req);
}
