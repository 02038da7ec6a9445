// Owner of @resvg/resvg-js (native). Not re-exported by src/report/index.ts: only the weekly
// digest loads it, on demand, so other commands never load the native module.
export * from './svg-to-png.js';
