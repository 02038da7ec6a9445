export * from './build-report.js';
export * from './build-chapter.js';
export { writeOutput, writeOutputAsync } from '../shared/write-output.js';
export * from './build-group-report.js';
export * from './build-large-report.js';
