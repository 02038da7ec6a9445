export interface ReportRecord {
  at: string;
  format: string;
  postureIndex?: number;
}

/** The reports produced, to compare a posture with the previous report's. */
export interface ReportRepository {
  record(r: ReportRecord): Promise<void>;
  /** The latest report produced strictly before `before` (default: the latest). */
  last(before?: string): Promise<ReportRecord | undefined>;
}
