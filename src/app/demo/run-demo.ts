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
}

/**
 * The newcomer's first run: start the demo estate on loopback, write its inventory, scan it as a
 * real estate is scanned, and write the posture report. Everything goes to `<data dir>/demo`, so
 * the demo never mixes with the real inventory's history.
 */
export async function runDemo(
  ctx: AppContext,
  opts: {
    timeoutMs?: number;
    onStarted?: (count: number, domains: number) => void;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<DemoResult> {
  const dir = path.join(ctx.dataDir, 'demo');
  const demoCtx = { ...ctx, dataDir: dir };
  ensurePrivateDir(dir);
  const estate = await startDemoEstate();
  const inventoryFile = path.join(dir, 'vigie.yml');
  let scan: ScanResult;
  let discovery: DiscoverResult;
  try {
    opts.onStarted?.(estate.servers.length, estate.mail.domains.length);
    const caFile = path.join(dir, 'racine-demo.pem');
    writePrivateFileAtomic(caFile, estate.trustAnchors.map((c) => c.toString()).join('\n'));
    writePrivateFileAtomic(inventoryFile, demoInventoryYaml(estate.servers, caFile, estate.mail));
    scan = await scanTargets(demoCtx, {
      targets: [],
      inventoryFile,
      caFiles: [],
      categories: ['tls', 'http', 'services', 'dns'],
      mailPorts: estate.mail.ports,
      plainHttpPort: estate.plainHttpPort,
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
      save: true,
      ...(opts.onProgress
        ? { onProgress: (done: number, total: number) => opts.onProgress?.(done, total) }
        : {}),
    });
    discovery = await discoverNames(demoCtx, {
      inventoryFile,
      domains: estate.mail.domains.map((d) => d.domain),
      sources: ['dns', 'axfr'],
      resolver: estate.mail.resolver,
      nameserverPort: estate.mail.dnsPort,
      save: true,
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    });
  } finally {
    await estate.close();
  }
  const report = buildReport(demoCtx, { inventoryFile });
  const reportFile = path.join(dir, `rapport-demo.${ctx.lang}.html`);
  const markdownFile = path.join(dir, `rapport-demo.${ctx.lang}.md`);
  const jsonFile = path.join(dir, 'analyse-demo.json');
  writeOutput(reportFile, renderReportHtml(report, ctx.lang));
  writeOutput(markdownFile, renderReportMarkdown(report, ctx.lang));
  writeOutput(jsonFile, `${JSON.stringify(scan, null, 2)}\n`);
  recordReport(demoCtx, report, 'html');
  return {
    servers: estate.servers.map(({ label, flaw }) => ({ label, flaw })),
    domains: estate.mail.domains.map(({ domain, flaw }) => ({ domain, flaw })),
    scan,
    discovery,
    reportFile,
    markdownFile,
    jsonFile,
    inventoryFile,
  };
}
