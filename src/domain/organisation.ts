/** An organisation's identifier: lower-case letters, digits and hyphens, 1 to 40 characters. */
export const ORGANISATION_ID = /^[a-z0-9-]{1,40}$/;

/** A group's identifier (consolidated views): the same alphabet as an organisation's. */
export const GROUP_ID = ORGANISATION_ID;

export function isOrganisationId(text: string): boolean {
  return ORGANISATION_ID.test(text);
}

/** One organisation of a deployment, as the registry (`organisations.yml`) holds it. */
export interface Organisation {
  id: string;
  /** Display name (default: the `organisation.name` of its vigie.yml, else the id). */
  name?: string;
  /** Absolute path of its inventory (vigie.yml). */
  inventory: string;
  /** Groups it belongs to (a metropole over its communes): their consolidated views include it. */
  groups: string[];
}

/** The PostgreSQL schema of an organisation's history: `org_` and the id, hyphens as underscores. */
export function organisationSchema(id: string): string {
  return `org_${id.replaceAll('-', '_')}`;
}
