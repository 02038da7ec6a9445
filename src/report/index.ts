export * from './table.js';
export * from './render-text.js';
export * from './render-markdown.js';
