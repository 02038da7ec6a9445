import path from 'node:path';
import type { ScanResult } from '../../domain/index.js';
import { ensurePrivateDir, writePrivateFileAtomic } from '../../files/index.js';
import { demoInventoryYaml, startDemoEstate, type DemoServer } from '../../demo/index.js';
import { renderReportHtml, renderReportMarkdown } from '../../report/index.js';
import { buildReport, recordReport } from '../report/index.js';
import { writeOutput } from '../shared/write-output.js';
import type { AppContext } from '../shared/context.js';
import { scanTargets } from '../scan/index.js';
import { discoverNames, type DiscoverResult } from '../discover/index.js';

export interface DemoResult {
  servers: Omit<DemoServer, 'endpoint'>[];
  /** The demo domains (DNS and mail checks) and what is wrong with each. */
  domains: { domain: string; flaw: string }[];
  scan: ScanResult;
  /** `vigie discover` on the demo domains (DNS and zone transfer): a forgotten site, a dangling CNAME, an open AXFR. */
  discovery: DiscoverResult;
  /** The posture report of the demo estate, self-contained HTML. */
  reportFile: string;
  markdownFile: string;
  jsonFile: string;
  /** The demo estate's inventory, for trying other commands on it. */
  inventoryFile: string;
  /** The data directory of the demo (`<data dir>/demo`): `VIGIE_DATA_DIR` for the other commands. */
  dataDir: string;
  /** The servers were left running (`--keep`) until the command is interrupted. */
  kept: boolean;
}

export interface DemoOptions {
  timeoutMs?: number;
  /** The loopback /24 of the estate (`127.0.0` by default). */
  network?: string;
  /** Leave the estate running; the caller stops it with the returned `stop()`. */
  keep?: boolean;
  onStarted?: (count: number, domains: number) => void;
  onProgress?: (done: number, total: number) => void;
}

/**
 * The newcomer's first run: start the demo estate on loopback, write its inventory, scan it as a
 * real estate is scanned (from that inventory alone, so a later `vigie scan -i` does the same), and
 * write the posture report. Everything goes to `<data dir>/demo`, so the demo never mixes with the
 * real inventory's history. With `keep`, the estate stays up until `stop()`.
 */
export async function runDemo(
  ctx: AppContext,
  opts: DemoOptions = {},
): Promise<{ result: DemoResult; stop(): Promise<void> }> {
  const dir = path.join(ctx.dataDir, 'demo');
  const demoCtx = { ...ctx, dataDir: dir };
  ensurePrivateDir(dir);
  const estate = await startDemoEstate(opts.network === undefined ? {} : { network: opts.network });
  const inventoryFile = path.join(dir, 'vigie.yml');
  let scan: ScanResult;
  let discovery: DiscoverResult;
  try {
    opts.onStarted?.(estate.servers.length, estate.mail.domains.length);
    const caFile = path.join(dir, 'racine-demo.pem');
    writePrivateFileAtomic(caFile, estate.trustAnchors.map((c) => c.toString()).join('\n'));
    writePrivateFileAtomic(
      inventoryFile,
      demoInventoryYaml(estate.servers, caFile, estate.mail, estate.plainHttpPort),
    );
    scan = await scanTargets(demoCtx, {
      targets: [],
      inventoryFile,
      caFiles: [],
      categories: ['tls', 'http', 'services', 'dns'],
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
      save: true,
      ...(opts.onProgress
        ? { onProgress: (done: number, total: number) => opts.onProgress?.(done, total) }
        : {}),
    });
    discovery = await discoverNames(demoCtx, {
      inventoryFile,
      domains: estate.mail.domains.map((d) => d.domain),
      sources: ['dns', 'axfr', 'ct'],
      ctUrl: estate.mail.ctUrl,
      resolver: estate.mail.resolver,
      nameserverPort: estate.mail.dnsPort,
      save: true,
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    });
  } catch (error) {
    await estate.close();
    throw error;
  }
  if (!opts.keep) await estate.close();
  try {
    const report = await buildReport(demoCtx, { inventoryFile });
    const reportFile = path.join(dir, `rapport-demo.${ctx.lang}.html`);
    const markdownFile = path.join(dir, `rapport-demo.${ctx.lang}.md`);
    const jsonFile = path.join(dir, 'analyse-demo.json');
    writeOutput(reportFile, renderReportHtml(report, ctx.lang));
    writeOutput(markdownFile, renderReportMarkdown(report, ctx.lang));
    writeOutput(jsonFile, `${JSON.stringify(scan, null, 2)}\n`);
    await recordReport(demoCtx, report, 'html');
    return {
      result: {
        servers: estate.servers.map(({ label, flaw }) => ({ label, flaw })),
        domains: estate.mail.domains.map(({ domain, flaw }) => ({ domain, flaw })),
        scan,
        discovery,
        reportFile,
        markdownFile,
        jsonFile,
        inventoryFile,
        dataDir: dir,
        kept: opts.keep === true,
      },
      stop: () => (opts.keep ? estate.close() : Promise.resolve()),
    };
  } catch (error) {
    if (opts.keep) await estate.close();
    throw error;
  }
}
