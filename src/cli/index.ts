export * from './base-command.js';
export * from './flags.js';
export * from './progress.js';
export * from './colour.js';
export * from './stdout.js';
