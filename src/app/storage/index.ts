export * from './store-admin.js';
