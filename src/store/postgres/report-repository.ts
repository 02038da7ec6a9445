import { msg } from '../../i18n/index.js';
import { isoInput } from '../iso-input.js';
import type { ReportRecord, ReportRepository } from '../report-repository.js';
import { reportOf, reportValues, type ReportRow } from '../report-rows.js';
import type { PgDatabase } from './pg-database.js';

/** The reports produced, in PostgreSQL. */
export class PgReportRepository implements ReportRepository {
  constructor(private readonly db: PgDatabase) {}

  async record(r: ReportRecord): Promise<void> {
    const v = reportValues(r);
    await this.db.write(msg('texts2.store.report.save'), (q) =>
      q.run(`INSERT INTO reports (at, format, posture_index) VALUES ($1, $2, $3)`, [
        v.at,
        v.format,
        v.postureIndex,
      ]),
    );
  }

  async last(before?: string): Promise<ReportRecord | undefined> {
    const bound = before === undefined ? undefined : isoInput(before, 'before');
    const row = await this.db.read(msg('texts2.store.report.read'), (q) =>
      bound === undefined
        ? q.one<ReportRow>(`SELECT at, format, posture_index FROM reports ORDER BY at DESC, id DESC LIMIT 1`)
        : q.one<ReportRow>(
            `SELECT at, format, posture_index FROM reports WHERE at < $1 ORDER BY at DESC, id DESC LIMIT 1`,
            [bound],
          ),
    );
    return row === undefined ? undefined : reportOf(row);
  }
}
