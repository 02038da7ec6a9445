export * from './base-command.js';
export * from './flags.js';
export * from './progress.js';
export * from './playbook-text.js';
export * from './incident-text.js';
