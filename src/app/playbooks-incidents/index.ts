export * from './playbook-register.js';
export * from './incidents.js';
export * from './incident-view.js';
export * from './incident-metrics.js';
export { writeOutput } from '../shared/write-output.js';
export { configuredTimeZone } from '../shared/organisation-time.js';
export { playbooksDirOf, validatePlaybooks } from '../shared/playbook-library.js';
