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
