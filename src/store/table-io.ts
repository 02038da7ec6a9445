/**
 * Table-level access to a store, for `vigie store copy`: both backends hold the same tables with the
 * same columns (ADR 0024), so a history moves across as rows, not through the repositories (which
 * would recompute what they store).
 */
export interface TableIo {
  /** What messages name: a file, or a URL with its password hidden. */
  readonly label: string;
  /** Column names of a table, in their declared order. */
  columns(table: string): Promise<string[]>;
  count(table: string): Promise<number>;
  /** Every row of a table in batches (values in `columns` order). */
  read(
    table: string,
    columns: readonly string[],
    onBatch: (rows: unknown[][]) => Promise<void>,
  ): Promise<void>;
  /**
   * Runs `fn` in one transaction: everything it inserted is kept only if it returns; any failure
   * (or a checksum that differs) rolls all of it back. A `read` transaction is one snapshot.
   */
  transaction<T>(fn: (tx: TableWriter) => Promise<T>, mode: 'read' | 'write'): Promise<T>;
  close(): Promise<void>;
}

export interface TableWriter {
  insert(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void>;
  /** Rows of a table as seen inside the transaction (for the checksum before commit). */
  read(
    table: string,
    columns: readonly string[],
    onBatch: (rows: unknown[][]) => Promise<void>,
  ): Promise<void>;
  count(table: string): Promise<number>;
  /** Brings generated keys (identity sequences) past the rows copied in. */
  afterInsert(table: string): Promise<void>;
}

/**
 * The store's tables, referenced tables first (the order rows are copied in). The schema's version
 * table of each backend is not copied: each target is migrated to the current version first.
 * A test checks this list against the SQLite schema, so a migration adding a table must add it here.
 */
export const STORE_TABLES: readonly string[] = [
  'runs',
  'run_endpoints',
  'findings',
  'run_findings',
  'finding_events',
  'waivers',
  'reports',
  'playbook_reviews',
  'playbook_exercises',
  'incidents',
  'incident_steps',
  'incident_notes',
  'incident_obligations',
  'incident_events',
  'mail_outbox',
  'daemon_jobs',
  'daemon_heartbeat',
  'github_links',
  'discovered_names',
  'run_staged_findings',
  'leases',
];

/**
 * Tables whose SQLite rowid is data: the order a run's findings were saved in, which the run lists
 * them by. PostgreSQL holds it as an identity column named `rowid`; SQLite's table access names it
 * as a column, so both sides copy it.
 */
export const ROWID_TABLES: readonly string[] = ['run_findings'];
