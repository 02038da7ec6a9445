import type { ReportFinding } from '../../domain/index.js';
import {
  renderSarifFrame,
  renderSarifResult,
  renderSarifResultsEnd,
  type SarifOptions,
} from '../../report/render-report-sarif.js';
import { bySeriousness } from '../../report/report-format.js';
import type { Lang } from '../../i18n/index.js';
import type { AppContext } from '../shared/context.js';
import { eachReportFinding, type LargeReport } from './build-large-report.js';
import type { ReportRequest } from './build-report.js';
import { SortedSpool } from './sorted-spool.js';

/**
 * The SARIF log of a large estate ({@link renderReportSarif}'s bytes for the whole report), written
 * as the store's cursor reads the findings: they are sorted most serious first through a private
 * spool file ({@link SortedSpool}), the most serious of each check kept aside to name its rule; then
 * the log is written around them, result by result. `runItems`: findings sorted in memory at a time.
 */
export async function writeLargeReportSarif(
  ctx: AppContext,
  req: Pick<ReportRequest, 'inventoryFile'>,
  large: LargeReport,
  lang: Lang,
  options: SarifOptions,
  write: (piece: string) => void,
  runItems?: number,
): Promise<void> {
  const { report } = large;
  const sorted = new SortedSpool<ReportFinding>(bySeriousness, runItems);
  try {
    const mostSerious = new Map<string, ReportFinding>();
    await eachReportFinding(ctx, req, report.generatedAt, (page) => {
      for (const f of page) {
        sorted.add(f);
        const known = mostSerious.get(f.checkId);
        if (!known || bySeriousness(f, known) < 0) mostSerious.set(f.checkId, f);
      }
    });
    const frame = renderSarifFrame(report, mostSerious, lang, options);
    write(frame.head);
    let count = 0;
    sorted.each((f, position) => {
      write(renderSarifResult(f, frame.ruleIndex.get(f.checkId) ?? -1, position));
      count += 1;
    });
    write(renderSarifResultsEnd(count));
    write(frame.tail);
  } finally {
    sorted.close();
  }
}
