export * from './job-scheduler.js';
export * from './next-run.js';
export * from './validate-schedule.js';
