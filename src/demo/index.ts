export * from './estate.js';
export * from './pki.js';
export * from './legacy-tls-server.js';
export * from './web-handlers.js';
export * from './fake-services.js';
export * from './demo-inventory.js';
