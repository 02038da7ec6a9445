import fs from 'node:fs';
import path from 'node:path';
import type { ScanResult } from '../domain/index.js';
import { startDemoEstate, type DemoServer } from '../demo/index.js';
import { renderScanMarkdown } from '../report/index.js';
import type { AppContext } from './context.js';
import { scanTargets } from './scan-targets.js';

export interface DemoResult {
  servers: Omit<DemoServer, 'endpoint'>[];
  scan: ScanResult;
  reportFile: string;
  jsonFile: string;
}

/**
 * The newcomer's first run: start the demo estate on loopback, scan it, write a report. Runs are
 * kept in `<data dir>/demo` so the demo never mixes with the real inventory's history.
 */
export async function runDemo(
  ctx: AppContext,
  opts: {
    timeoutMs?: number;
    onStarted?: (count: number) => void;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<DemoResult> {
  const estate = await startDemoEstate();
  const dir = path.join(ctx.dataDir, 'demo');
  let scan: ScanResult;
  try {
    opts.onStarted?.(estate.servers.length);
    scan = await scanTargets(
      { ...ctx, dataDir: dir },
      {
        targets: [],
        endpoints: estate.servers.map((s) => s.endpoint),
        inventoryFile: path.join(dir, 'absent.yml'),
        caFiles: [],
        trustAnchors: estate.trustAnchors,
        categories: ['tls', 'http', 'services'],
        timeoutMs: opts.timeoutMs ?? 1500,
        save: true,
        ...(opts.onProgress
          ? { onProgress: (done: number, total: number) => opts.onProgress?.(done, total) }
          : {}),
      },
    );
  } finally {
    await estate.close();
  }
  fs.mkdirSync(dir, { recursive: true });
  const reportFile = path.join(dir, `rapport-demo.${ctx.lang}.md`);
  const jsonFile = path.join(dir, 'rapport-demo.json');
  fs.writeFileSync(reportFile, renderScanMarkdown(scan, ctx.lang));
  fs.writeFileSync(jsonFile, `${JSON.stringify(scan, null, 2)}\n`);
  return { servers: estate.servers.map(({ label, flaw }) => ({ label, flaw })), scan, reportFile, jsonFile };
}
