export * from './scan-targets.js';
export * from './fail-on.js';
export { writeOutput } from '../shared/write-output.js';
export { ScanSpool, type SpoolRef } from '../shared/scan-spool.js';
