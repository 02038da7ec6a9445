export * from './notify.js';
export * from './build-digest.js';
