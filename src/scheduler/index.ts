export * from './job-scheduler.js';
