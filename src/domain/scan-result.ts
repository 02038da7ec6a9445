import type { Category, Finding } from './finding.js';
import type { NotEvaluatedGrade, TlsGrade } from './grades.js';
import type { PostureIndex } from './posture.js';
import type { ErrorReason } from './outcome.js';
import type { Severity } from './severity.js';
import type { TlsEnumeration } from './tls.js';
import type { TlsProfileResult } from './tls-profile.js';

export type CheckStatus = 'pass' | 'fail' | 'error' | 'skipped';

/**
 * The probe families of an endpoint: each observes what a group of checks reads, and a failure of
 * one leaves those checks in `error`, raises a `scan.error` keyed by the family, and makes its grade
 * « not evaluated ». `mail` is the SMTP session of an MX host; `custom` the custom checks' requests.
 */
export const PROBE_FAMILIES = ['tls', 'http', 'services', 'mail', 'custom'] as const;
export type ProbeFamily = (typeof PROBE_FAMILIES)[number];

/** A probe family that failed on an endpoint. */
export interface FamilyFailure {
  /**
   * The probe family (named `category` since the first version of the contract); on a domain,
   * `dns:<record>` for each lookup that failed (its `scan.error` is keyed by the record).
   */
  category: ProbeFamily | `dns:${string}`;
  /** The part of the posture index left unevaluated on this endpoint. */
  postureCategory: Category;
  reason: ErrorReason;
  detail: string;
}

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
  tls?: {
    protocols: string[];
    certificate?: { subject: string; issuer: string; notAfter: string };
    /** SSL Labs–style grade with its caps (scoring in docs/posture.md); « not-evaluated » when the TLS family failed. */
    grade?: TlsGrade | NotEvaluatedGrade;
    /** Suites per version, groups, compression, renegotiation, stapling (bounded enumeration). */
    enumeration?: TlsEnumeration;
    /** A hybrid post-quantum key exchange (X25519MLKEM768 …) is accepted; null when not observed. */
    postQuantum?: boolean | null;
    /** Verdict per policy profile (`anssi`, `mozilla-intermediate` …); conformant null when not evaluated. */
    profiles?: Record<string, Omit<TlsProfileResult, 'profile'>>;
    /** Leaf certificate facts for the detail view. */
    certificateDetail?: {
      keyType: string;
      keyBits: number;
      notBefore: string;
      signatureAlgorithm: string;
      chainLength: number;
      trust: string;
    };
  };
  /**
   * The page evaluated by the HTTP checks and its grade (Mozilla HTTP Observatory scoring). When the
   * HTTP family failed on an HTTPS endpoint: the URL asked, no status, and a « not-evaluated » grade.
   */
  http?: { url: string; status?: number; grade?: HttpGrade | NotEvaluatedGrade };
  /** What answers on a service port. */
  service?: {
    state: 'open' | 'closed' | 'filtered';
    transport: 'tcp' | 'udp';
    service?: string;
    version?: string;
    banner?: string;
  };
  /** A domain (DNS and mail checks; `port` is 53): the records seen, for humans. */
  dns?: {
    spf?: string;
    dmarc?: string;
    mx?: string[];
    /** Issuers allowed by CAA (`issue` / `issuewild` values). */
    caa?: string[];
    /** `signed`, `unsigned`, `validated`, `bogus`, `not-validated`. */
    dnssec?: string;
    /** MTA-STS policy mode, when a policy was read. */
    mtaSts?: string;
  };
  /** An MX host: what its SMTP server announced. */
  smtp?: { banner: string; starttls: boolean };
  /** Nothing listens on this port, which was scanned by default rather than named (not a finding). */
  closed?: boolean;
  /**
   * Probe families that failed on an endpoint otherwise assessed: their checks are `error`, never
   * `pass`; each raises a `scan.error` keyed by its family, and that part is not evaluated.
   */
  errors?: FamilyFailure[];
}

export interface HttpGrade {
  score: number;
  grade: string;
  scoringVersion: string;
  modifiers: { test: string; result: string; modifier: number; note: string }[];
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
  /** The organisation posture index of this run (open, unwaived findings weighted by criticality). */
  posture?: PostureIndex;
}

/**
 * A list that may be read from disk on demand rather than held (a scan's endpoints or findings):
 * iterable as often as needed, in the same order each time; an array is one.
 */
export interface ListView<T> extends Iterable<T> {
  readonly length: number;
}

/**
 * A scan result whose endpoints and findings may be read on demand: what the scan's text and JSON
 * writers take, so that a large estate's result is written without being held. A {@link ScanResult}
 * is one.
 */
export type ScanResultView = Omit<ScanResult, 'endpoints' | 'findings'> & {
  endpoints: ListView<EndpointResult>;
  findings: ListView<Finding>;
};
