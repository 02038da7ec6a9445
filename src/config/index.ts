export { ConfigNotFoundError } from './errors.js';
export {
  keepValidatedConfig,
  loadConfig,
  parseConfig,
  readConfigHints,
  type ConfigHints,
} from './load-config.js';
export { inventoryEndpointCount, inventoryEndpoints } from './inventory-endpoints.js';
export { inventoryDomains } from './inventory-domains.js';
export { parseYamlDocument } from './yaml-source.js';
export type { YamlSource } from './yaml-source.js';
export { formatPath } from './format-path.js';
export type { DocumentPath } from './format-path.js';
export { frenchErrorMap } from './messages-fr.js';
export { closestKey } from './closest-key.js';
export {
  CRITICALITIES,
  DEFAULT_CT_URL,
  DEFAULT_SCHEDULE,
  LANGUAGES,
  assetSchema,
  isDnsName,
  isIpAddress,
  vigieConfigSchema,
} from './schema.js';
export type { Asset, AssetHost, Criticality, VigieConfig } from './schema.js';
export { loadCatalogueFile, templateParams } from './load-catalogue.js';
export { catalogueSchema, checkMetaSchema, CHECK_ID_PATTERN } from './catalogue-schema.js';
export { validateWithSchema, sortByLine } from './schema-issues.js';
export { loadCustomChecks } from './load-custom-checks.js';
export type { CustomChecksLoaded, LoadCustomChecksOptions } from './load-custom-checks.js';
export {
  CUSTOM_CHECK_ID_PATTERN,
  customCheckEntrySchema,
  customCheckFileSchema,
} from './custom-check-schema.js';
export { buildCustomCheck, httpSampleResponse } from './custom-check-rules.js';
export { loadServiceCatalogue } from './load-services.js';
export { serviceCatalogueSchema, serviceEntrySchema, SERVICE_NAME_PATTERN } from './services-schema.js';
export { readBoundedText, readTextFile, readYamlFile } from './yaml-source.js';
export { YAML_LIMITS } from './yaml-bounds.js';
export { parseFrontMatter } from './front-matter.js';
export type { FrontMatter } from './front-matter.js';
export { playbookFrontMatterSchema, PLAYBOOK_ID_PATTERN } from './playbook-schema.js';
export type { PlaybookFrontMatter } from './playbook-schema.js';
export { playbookReferencesIn } from './playbook-references.js';
export type { PlaybookReference } from './playbook-references.js';
export { loadTakeoverCatalogue, caseHolds, type TakeoverCatalogue } from './load-takeover.js';
export { takeoverCatalogueSchema, type TakeoverCase } from './takeover-schema.js';
export {
  addHostsToInventory,
  OWNER_TO_QUALIFY,
  type InventoryAddition,
  type InventoryEdit,
} from './inventory-edit.js';
export {
  compareProfileVersions,
  loadTlsProfileFile,
  loadTlsProfiles,
  selectTlsProfile,
  tlsProfileFileSchema,
  type LoadedTlsProfile,
  type TlsProfileCase,
} from './load-tls-profiles.js';
export { DEFAULT_MAX_PER_TARGET, fleetLimits, type FleetLimits } from './fleet-limits.js';
