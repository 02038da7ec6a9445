import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { fingerprintOf } from '../../src/domain/index.js';
import type { Severity } from '../../src/domain/index.js';
import { openStore } from '../../src/store/index.js';
import type { Store, StoredEndpoint, StoredFindingInput, StoredRunInput } from '../../src/store/index.js';

/** A fresh data directory per test, and the stores opened on it closed afterwards. */
export function useTempStore(): { dir: () => string; open: () => Store } {
  let dir = '';
  const opened: Store[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-store-'));
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir: () => dir,
    open: () => {
      const store = openStore(dir);
      opened.push(store);
      return store;
    },
  };
}

export function finding(
  checkId: string,
  host: string,
  port: number,
  opts: { key?: string; severity?: Severity; details?: StoredFindingInput['details']; assetId?: string } = {},
): StoredFindingInput {
  return {
    fingerprint: fingerprintOf({ checkId, host, port, ...(opts.key === undefined ? {} : { key: opts.key }) }),
    checkId,
    severity: opts.severity ?? 'high',
    category: checkId.startsWith('tls.') ? 'tls' : 'http',
    host,
    port,
    ...(opts.assetId === undefined ? {} : { assetId: opts.assetId }),
    ...(opts.key === undefined ? {} : { key: opts.key }),
    details: opts.details ?? { observed: true },
  };
}

export function assessed(host: string, port: number, checks: StoredEndpoint['checks']): StoredEndpoint {
  return { host, port, status: 'assessed', checks };
}

export function run(
  id: string,
  startedAt: string,
  endpoints: StoredEndpoint[],
  findings: StoredFindingInput[],
): StoredRunInput {
  return {
    id,
    startedAt,
    finishedAt: new Date(new Date(startedAt).getTime() + 60_000).toISOString(),
    scoringVersion: '2025.1',
    targets: ['inventory'],
    endpoints,
    findings,
  };
}

/** Nightly runs, one day apart. */
export const T1 = '2025-03-01T02:00:00.000Z';
export const T2 = '2025-03-02T02:00:00.000Z';
export const T3 = '2025-03-03T02:00:00.000Z';
export const T4 = '2025-03-04T02:00:00.000Z';
export const T5 = '2025-03-05T02:00:00.000Z';

export const WWW = 'www.exemple.fr';
