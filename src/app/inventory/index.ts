export * from './inventory.js';
export * from './add-names.js';
