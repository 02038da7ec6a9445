export * from './scan-targets.js';
export * from './fail-on.js';
