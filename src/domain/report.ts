import type { EndpointResult } from './scan-result.js';
import type { Category, Finding } from './finding.js';
import type { Criticality, NotEvaluatedGrade, TlsGrade } from './grades.js';
import type { FindingStatus, Waiver } from './lifecycle.js';
import type { PostureIndex } from './posture.js';
import type { CheckStatus, HttpGrade } from './scan-result.js';
import type { Severity } from './severity.js';

/** A finding as a report shows it: where it stands, who owns it, and its waiver if any. */
export interface ReportFinding extends Finding {
  status: FindingStatus;
  owner?: string;
  assetName?: string;
  criticality?: Criticality;
  waiver?: Waiver;
  /** When the finding was resolved (status resolved). */
  resolvedAt?: string;
}

/** The latest state of one endpoint, for per-endpoint outputs (JUnit, grades table). */
/** One domain's DNS and mail records as last seen. */
export interface ReportDomain {
  domain: string;
  owner?: string;
  spf?: string;
  dmarc?: string;
  dnssec?: string;
  caa: string[];
  mtaSts?: string;
  mx: string[];
  /** Open findings of the DNS / mail checks on the domain and its MX hosts. */
  open: number;
}

export interface ReportEndpoint {
  host: string;
  port: number;
  assetId?: string;
  owner?: string;
  status: 'assessed' | 'error' | 'timeout';
  lastRunId: string;
  lastScanned: string;
  checks: Record<string, CheckStatus>;
  /** « not-evaluated » (no letter) when the family failed at the latest scan. */
  tlsGrade?: TlsGrade | NotEvaluatedGrade;
  httpGrade?: HttpGrade | NotEvaluatedGrade;
  /** The TLS facts of the latest scan (versions, suites, groups, certificate, profile verdicts). */
  tlsDetail?: Omit<NonNullable<EndpointResult['tls']>, 'grade'>;
}

/** A certificate that expires soon (or has expired), where it is served and who owns it. */
export interface ExpiringCertificate {
  host: string;
  port: number;
  subject: string;
  notAfter: string;
  daysLeft: number;
  owner?: string;
}

/**
 * The posture report (`vigie report`): everything text, Markdown, HTML, JSON, CSV, SARIF and JUnit
 * render. Pure data, built from stored runs by the app; renderers only format it.
 */
export interface PostureReport {
  generatedAt: string;
  lang: 'fr' | 'en';
  organisation: string;
  scoringVersion: string;
  /** Start of the "what changed" window. */
  since: string;
  latestRun?: { id: string; startedAt: string; finishedAt: string };
  posture: {
    current?: PostureIndex;
    /** Index at the previous report (or the run before the latest), for the delta. */
    previous?: { at: string; index: number };
    delta?: number;
    /** Index per run, oldest first (the last 12 runs). */
    trend: { at: string; runId: string; index: number }[];
  };
  counts: Record<Severity, number>;
  /** The most serious open findings, highest severity and criticality first (at most 10). */
  topRisks: ReportFinding[];
  changes: { new: ReportFinding[]; resolved: ReportFinding[]; regressed: ReportFinding[] };
  expiringCertificates: ExpiringCertificate[];
  /** Domains of the DNS and mail checks, with what their records say (latest scan). */
  domains?: ReportDomain[];
  owners: { owner: string; index: number; endpoints: number; open: Record<Severity, number> }[];
  /**
   * Per category: its index over the endpoints it was evaluated on (`endpoints`), and how many it
   * could not be evaluated on (`unassessed`; with `endpoints` 0 the index is « non évalué »).
   */
  categories: { category: Category; index: number; endpoints: number; unassessed: number; open: number }[];
  waivers: (Waiver & { checkId: string; host: string; port: number; title: string })[];
  /** Every open or waived finding (CSV, SARIF). */
  findings: ReportFinding[];
  endpoints: ReportEndpoint[];
  /**
   * What `vigie discover` left outside the inventory at its latest run (names classed `new` or
   * `dangling`); absent when no discovery ever ran (not « nothing found »).
   */
  discovery?: { lastRunAt: string; unlisted: number; dangling: number };
}

/**
 * What a summarised report (a large estate, built page by page) counts beyond the rows it keeps:
 * its `findings`, `changes`, `expiringCertificates` and `endpoints` hold only the first rows.
 */
export interface ReportTotals {
  /** Open and waived findings (`findings` keeps the most serious). */
  findings: number;
  /** Findings of each list of changes (each list keeps its first rows). */
  changes: { new: number; resolved: number; regressed: number };
  /** Certificates expired or expiring within the window (`expiringCertificates` keeps the soonest). */
  certificates: number;
  tls: TlsTotals;
}

/** The TLS endpoints of a summarised report (`endpoints` keeps the weakest, with their detail). */
export interface TlsTotals {
  /** Endpoints with TLS facts in their latest scan. */
  endpoints: number;
  /** Endpoints by TLS grade, weakest first (`not-evaluated`, then `—` for no grade, last). */
  grades: { grade: string; endpoints: number }[];
  /** Endpoints by TLS profile: conformant, not conformant, not observed (profile names in order). */
  profiles: { profile: string; conformant: number; nonconformant: number; unknown: number }[];
}
