import type { ReportFinding } from '../../domain/index.js';
import {
  addJunitCounts,
  JUNIT_TAIL,
  noJunitCounts,
  renderJunitHead,
  renderJunitSuite,
} from '../../report/render-report-junit.js';
import type { Lang } from '../../i18n/index.js';
import type { AppContext } from '../shared/context.js';
import { hasDataStore, openAppStore } from '../shared/data-store.js';
import { inventoryIndex, optionalConfig } from '../shared/inventory-index.js';
import { ScanSpool, type SpoolRef } from '../shared/scan-spool.js';
import { readFacts } from '../shared/stored-facts.js';
import { eachReportFinding, type LargeReport } from './build-large-report.js';
import type { ReportRequest } from './build-report.js';
import { reportEndpointOf } from './report-parts.js';

/** Rows read at a time from the store's cursor of endpoints. */
const BATCH_ROWS = 200;
/** Bytes of suites gathered before they are set aside. */
const BODY_PIECE = 64 * 1024;

/** An endpoint's key in the index of findings: its findings are those of its exact host and port. */
const keyOf = (host: string, port: number) => `${port} ${host}`;

/**
 * The JUnit XML of a large estate ({@link renderReportJunit}'s bytes for the whole report), written
 * from the store's cursors: the findings are set aside in a private spool file, indexed by endpoint
 * (memory holds where each lies); the endpoints are then read in order, each suite rendered with its
 * findings and set aside too, since the document's first element carries the counts of all; then the
 * head, the suites and the tail are written.
 */
export async function writeLargeReportJunit(
  ctx: AppContext,
  req: Pick<ReportRequest, 'inventoryFile'>,
  large: LargeReport,
  lang: Lang,
  write: (piece: string) => void,
): Promise<void> {
  const { report } = large;
  const inventory = inventoryIndex(optionalConfig(req.inventoryFile));
  const spool = new ScanSpool();
  try {
    // Where each endpoint's findings lie: offset and length, pair after pair, in the report's order.
    const byEndpoint = new Map<string, number[]>();
    await eachReportFinding(ctx, req, report.generatedAt, (page) => {
      for (const f of page) {
        const ref = spool.write(f);
        const key = keyOf(f.host, f.port);
        const refs = byEndpoint.get(key);
        if (refs) refs.push(ref.at, ref.length);
        else byEndpoint.set(key, [ref.at, ref.length]);
      }
    });
    const total = noJunitCounts();
    const body: SpoolRef[] = [];
    let piece = '';
    let id = 0;
    if (hasDataStore(ctx)) {
      const store = await openAppStore(ctx);
      try {
        await store.reportQueries.eachLatestEndpoint(BATCH_ROWS, (endpoints) => {
          for (const e of endpoints) {
            const facts = readFacts(e.facts);
            if (facts.closed) continue;
            const endpoint = reportEndpointOf(e, facts, inventory);
            const refs = byEndpoint.get(keyOf(endpoint.host, endpoint.port)) ?? [];
            const findings: ReportFinding[] = [];
            for (let i = 0; i < refs.length; i += 2)
              findings.push(spool.read<ReportFinding>({ at: refs[i]!, length: refs[i + 1]! }));
            const suite = renderJunitSuite(endpoint, id++, findings, lang);
            addJunitCounts(total, suite.counts);
            piece += suite.text;
            if (piece.length < BODY_PIECE) continue;
            body.push(spool.write(piece));
            piece = '';
          }
        });
      } finally {
        await store.close();
      }
    }
    byEndpoint.clear();
    write(renderJunitHead(report, total));
    for (const ref of body) write(spool.read<string>(ref));
    write(piece);
    write(JUNIT_TAIL);
  } finally {
    spool.close();
  }
}
