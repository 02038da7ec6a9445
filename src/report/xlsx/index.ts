// Owner of exceljs. Not re-exported by src/report/index.ts: only `report --format xlsx` and the
// weekly digest load it, on demand, so that other commands never load it.
export * from './render-report-xlsx.js';
export * from './xlsx-report-writer.js';
