export * from './github-sync.js';
