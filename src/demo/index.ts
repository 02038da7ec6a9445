export * from './estate.js';
export * from './pki.js';
export * from './legacy-tls-server.js';
