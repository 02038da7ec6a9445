/** One indicator of the trust chapter: its value, what it means, and how it is computed. */
export interface ChapterIndicator {
  id: string;
  title: string;
  /** The headline value, already formatted (« 87 % », « 72,4 / 100 (+6,1) »). */
  value: string;
  /** One or two sentences a manager can paste. */
  comment: string;
  /** How the value is computed, so the figure can be checked and reproduced. */
  method: string;
  /** Details (rows of a small table), optional. */
  rows?: { label: string; value: string }[];
  /** False when the data does not exist yet (e.g. no incident register): said, never invented. */
  available: boolean;
}

/** The indicators section of the strategy's « confiance numérique » chapter, for one year. */
export interface TrustChapter {
  organisation: string;
  year: number;
  generatedAt: string;
  /** First and last run of the year taken into account. */
  period: { from?: string; to?: string; runs: number };
  indicators: ChapterIndicator[];
}
