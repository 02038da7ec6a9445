export * from './load-playbooks.js';
export * from './playbook-body.js';
export * from './regulatory-clocks.js';
export * from './zoned-time.js';
export * from './register-status.js';
