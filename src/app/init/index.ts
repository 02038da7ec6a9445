export * from './init-project.js';
export * from './init-template.js';
