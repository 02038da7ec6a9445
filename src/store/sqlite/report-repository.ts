import { msg } from '../../i18n/index.js';
import { isoInput } from '../iso-input.js';
import type { ReportRecord, ReportRepository } from '../report-repository.js';
import { reportOf, reportValues, type ReportRow } from '../report-rows.js';
import type { SqliteDatabase } from './database.js';

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
    const values = reportValues(r);
    this.h.write(msg('texts2.store.report.save'), () => {
      this.stmt.insertReport.run(values);
    });
  }

  async last(before?: string): Promise<ReportRecord | undefined> {
    const bound = before === undefined ? undefined : isoInput(before, 'before');
    return this.h.read(msg('texts2.store.report.read'), () => {
      const row = bound === undefined ? this.stmt.latestReport.get() : this.stmt.lastReport.get(bound);
      return row === undefined ? undefined : reportOf(row);
    });
  }
}
