export * from './cron-expression.js';
export * from './cron-timer.js';
