export * from './validate-catalogue.js';
