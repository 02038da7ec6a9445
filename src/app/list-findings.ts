import fs from 'node:fs';
import path from 'node:path';
import { isSeverity, type Finding, type Severity } from '../domain/index.js';
import { DATABASE_FILE, openStore } from '../store/index.js';
import type { AppContext } from './context.js';
import { loadConfig } from '../config/index.js';
import { loadCheckLibrary } from './check-library.js';
import { compareFindings, materializeFinding, metaOf } from './materialize-findings.js';

export interface FindingsQuery {
  /** vigie.yml, when it exists: its custom checks give their titles to stored findings. */
  inventoryFile?: string;
  severity?: Severity[];
  host?: string;
  checkId?: string;
}

/** Open findings from the stored runs, with their text in the user's language. */
export function listOpenFindings(ctx: AppContext, query: FindingsQuery = {}): Finding[] {
  if (!fs.existsSync(path.join(ctx.dataDir, DATABASE_FILE))) return [];
  const config =
    query.inventoryFile && fs.existsSync(query.inventoryFile) ? loadConfig(query.inventoryFile) : undefined;
  const { catalogue } = loadCheckLibrary(config);
  const store = openStore(ctx.dataDir);
  try {
    return store
      .listOpenFindings({
        ...(query.severity ? { severity: query.severity.filter(isSeverity) } : {}),
        ...(query.host ? { host: query.host } : {}),
        ...(query.checkId ? { checkId: query.checkId } : {}),
      })
      .map((r) =>
        materializeFinding(
          {
            checkId: r.checkId,
            host: r.host,
            port: r.port,
            ...(r.assetId ? { assetId: r.assetId } : {}),
            params: r.details,
            severity: r.severity,
          },
          metaOf(catalogue, r.checkId),
          r.fingerprint,
          { firstSeen: r.firstSeen, lastSeen: r.lastSeen },
          ctx.lang,
        ),
      )
      .sort(compareFindings);
  } finally {
    store.close();
  }
}
