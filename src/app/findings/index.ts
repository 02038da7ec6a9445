export * from './waivers.js';
export * from './report-finding.js';
