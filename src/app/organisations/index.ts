export * from './registry.js';
export * from './select.js';
export * from './add.js';
export type { Organisation } from '../../domain/organisation.js';
