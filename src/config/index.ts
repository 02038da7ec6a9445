export { ConfigNotFoundError } from './errors.js';
export { loadConfig, parseConfig } from './load-config.js';
export { inventoryEndpoints } from './inventory-endpoints.js';
export { parseYamlDocument } from './yaml-source.js';
export type { YamlSource } from './yaml-source.js';
export { formatPath } from './format-path.js';
export type { DocumentPath } from './format-path.js';
export { frenchErrorMap } from './messages-fr.js';
export { closestKey } from './closest-key.js';
export {
  CRITICALITIES,
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
