import { atLeast, type ScanResultView, type Severity } from '../../domain/index.js';

/** How many findings reach the --fail-on threshold (from the counts by severity: nothing is read again). */
export function failOnCount(result: Pick<ScanResultView, 'summary'>, threshold: Severity): number {
  return Object.entries(result.summary.bySeverity)
    .filter(([severity]) => atLeast(severity as Severity, threshold))
    .reduce((n, [, count]) => n + count, 0);
}
