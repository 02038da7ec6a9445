export * from './build-report.js';
export * from './build-chapter.js';
export { spooledOutput, writeOutput, writeOutputAsync } from '../shared/write-output.js';
export * from './build-group-report.js';
export * from './build-large-report.js';
export * from './write-large-report-sarif.js';
export * from './write-large-report-junit.js';
export * from './write-large-report-xlsx.js';
