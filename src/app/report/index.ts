export * from './build-report.js';
export * from './build-chapter.js';
