export * from './validate-catalogue.js';
export * from './list-profiles.js';
