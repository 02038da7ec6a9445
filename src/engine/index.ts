export * from './check.js';
export * from './plan.js';
export * from './run-scan.js';
export * from './run-domains.js';
export * from './plugins.js';
export { mapConcurrently } from './map-concurrently.js';
export { judgeEndpoint, plainHttpOf, PLAIN_HTTP_PORT } from './judge-endpoint.js';
export type { EndpointObservations, TlsEnumerationMode } from './observe-endpoint.js';
export { DEFAULT_TLS_ENUMERATION } from './observe-endpoint.js';
