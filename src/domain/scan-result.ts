import type { Finding } from './finding.js';
import type { ErrorReason } from './outcome.js';
import type { Severity } from './severity.js';

export type CheckStatus = 'pass' | 'fail' | 'error' | 'skipped';

export interface EndpointResult {
  host: string;
  port: number;
  address?: string;
  assetId?: string;
  status: 'assessed' | 'error' | 'timeout';
  reason?: ErrorReason;
  detail?: string;
  /** Verdict of every check planned on this endpoint. */
  checks: Record<string, CheckStatus>;
  /** Short facts for humans: negotiated protocols, certificate subject and expiry. */
  tls?: { protocols: string[]; certificate?: { subject: string; issuer: string; notAfter: string } };
}

/** The `vigie scan --json` contract (schema committed in schemas/scan-result.schema.json). */
export interface ScanResult {
  run: {
    id: string;
    startedAt: string;
    finishedAt: string;
    scoringVersion: string;
    targets: string[];
    saved: boolean;
  };
  summary: {
    endpoints: number;
    assessed: number;
    findings: number;
    bySeverity: Record<Severity, number>;
  };
  endpoints: EndpointResult[];
  findings: Finding[];
}
