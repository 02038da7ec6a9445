export * from './check.js';
export * from './plan.js';
export * from './run-scan.js';
export * from './run-domains.js';
