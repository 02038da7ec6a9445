export * from './github-sync.js';
export * from './github-sync-job.js';
