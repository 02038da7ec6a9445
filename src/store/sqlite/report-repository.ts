import { msg } from '../../i18n/index.js';
import { UsageError } from '../../domain/index.js';
import { isoInput } from '../iso-input.js';
import type { ReportRecord, ReportRepository } from '../report-repository.js';
import type { SqliteDatabase } from './database.js';
import type { ReportRow } from './rows.js';

/** The reports produced, in SQLite. */
export class SqliteReportRepository implements ReportRepository {
  private readonly stmt;

  constructor(private readonly h: SqliteDatabase) {
    const db = h.db;
    this.stmt = {
      insertReport: db.prepare<{ at: string; format: string; postureIndex: number | null }>(
        `INSERT INTO reports (at, format, posture_index) VALUES (@at, @format, @postureIndex)`,
      ),
      lastReport: db.prepare<[string], ReportRow>(
        `SELECT at, format, posture_index FROM reports WHERE at < ? ORDER BY at DESC, id DESC LIMIT 1`,
      ),
      latestReport: db.prepare<[], ReportRow>(
        `SELECT at, format, posture_index FROM reports ORDER BY at DESC, id DESC LIMIT 1`,
      ),
    };
  }

  async record(r: ReportRecord): Promise<void> {
    const at = isoInput(r.at, 'at');
    if (r.format.trim() === '') throw new UsageError(msg('texts2.store.report.empty-format'));
    if (r.postureIndex !== undefined && !Number.isFinite(r.postureIndex)) {
      throw new UsageError(msg('texts2.store.report.bad-index', { index: String(r.postureIndex) }));
    }
    this.h.write(msg('texts2.store.report.save'), () => {
      this.stmt.insertReport.run({ at, format: r.format, postureIndex: r.postureIndex ?? null });
    });
  }

  async last(before?: string): Promise<ReportRecord | undefined> {
    const bound = before === undefined ? undefined : isoInput(before, 'before');
    return this.h.read(msg('texts2.store.report.read'), () => {
      const row = bound === undefined ? this.stmt.latestReport.get() : this.stmt.lastReport.get(bound);
      if (row === undefined) return undefined;
      return {
        at: row.at,
        format: row.format,
        ...(row.posture_index === null ? {} : { postureIndex: row.posture_index }),
      };
    });
  }
}
