export * from './playbook-register.js';
export * from './incidents.js';
export * from './incident-view.js';
export * from './incident-metrics.js';
