import { atLeast, type ScanResult, type Severity } from '../../domain/index.js';

/** How many findings reach the --fail-on threshold. */
export function failOnCount(result: Pick<ScanResult, 'findings'>, threshold: Severity): number {
  return result.findings.filter((f) => atLeast(f.severity, threshold)).length;
}
