/**
 * A problem found in a published mail-security record (SPF, DMARC, MTA-STS, TLS-RPT, DKIM).
 * Language-neutral: the presentation layer turns `code` into a sentence.
 */
export interface RecordProblem {
  /** Short kebab-case token, e.g. `unknown-mechanism`, `missing-policy`. */
  code: string;
  /** The offending fragment exactly as published, or '' when there is none (a missing tag). */
  term: string;
}
