import type { ErrorReason } from './outcome.js';

/** A TLS grade after the SSL Labs server rating guide, with what made it. */
export interface TlsGrade {
  /** A+, A, A-, B, C, D, E, F, or T (trust) / M (name mismatch) when those caps apply. */
  grade: string;
  /** 0.3 protocol + 0.3 key exchange + 0.4 cipher strength, before caps. */
  score: number;
  protocolScore: number;
  keyExchangeScore: number;
  cipherScore: number;
  /** Each cap applied: the highest grade it allows and why. */
  caps: { cap: string; reason: string }[];
  /** Things that keep an A from being an A+ (or lower it to A-). */
  warnings: string[];
  scoringVersion: string;
}

export const CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

/** The grade of a family whose probe failed: "could not tell" is never a letter. */
export const NOT_EVALUATED = 'not-evaluated';

/**
 * What a TLS or HTTP grade says when the observations it needs could not be made (the certificate
 * could not be read, the page could not be fetched): not a letter, and why.
 */
export interface NotEvaluatedGrade {
  grade: typeof NOT_EVALUATED;
  reason: ErrorReason;
  detail: string;
  scoringVersion: string;
}

export function notEvaluatedGrade(
  reason: ErrorReason,
  detail: string,
  scoringVersion: string,
): NotEvaluatedGrade {
  return { grade: NOT_EVALUATED, reason, detail, scoringVersion };
}

/** A grade that is a letter (with its score and reasons), as opposed to « not evaluated ». */
export function isGraded<G extends { grade: string }>(grade: G | NotEvaluatedGrade): grade is G {
  return grade.grade !== NOT_EVALUATED;
}
