// npm run bench: saves a run of 200 endpoints × 30 findings over a previous one (the nightly case:
// every finding already known) and prints how long the save took. Target: < 1 s on 2 cores.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fingerprintOf } from '../src/domain/index.js';
import {
  openStore,
  type StoredEndpoint,
  type StoredFindingInput,
  type StoredRunInput,
} from '../src/store/index.js';

const ENDPOINTS = 200;
const CHECKS = 30;
const TARGET_MS = 1000;

const checkIds = Array.from({ length: CHECKS }, (_, i) => `http.check-${i}`);
const endpoints: StoredEndpoint[] = [];
const findings: StoredFindingInput[] = [];
for (let i = 0; i < ENDPOINTS; i++) {
  const host = `h${i}.exemple.fr`;
  endpoints.push({
    host,
    port: 443,
    status: 'assessed',
    checks: Object.fromEntries(checkIds.map((c) => [c, 'fail' as const])),
  });
  for (const checkId of checkIds) {
    findings.push({
      fingerprint: fingerprintOf({ checkId, host, port: 443 }),
      checkId,
      severity: 'high',
      category: 'http',
      host,
      port: 443,
      details: { header: 'x', n: i },
    });
  }
}
const run = (id: string, startedAt: string): StoredRunInput => ({
  id,
  startedAt,
  finishedAt: startedAt,
  scoringVersion: 'bench',
  targets: ['inventory'],
  endpoints,
  findings,
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-store-'));
const store = openStore(dir);
try {
  await store.runs.save(run('warm', '2025-03-01T02:00:00.000Z'));
  const started = performance.now();
  const records = await store.runs.save(run('nightly', '2025-03-02T02:00:00.000Z'));
  const elapsed = performance.now() - started;
  console.log(
    `store save              ${ENDPOINTS} endpoints × ${CHECKS} findings (${records.length} records), ${elapsed.toFixed(0)} ms   (cible : < ${TARGET_MS} ms)`,
  );
  if (elapsed >= TARGET_MS) process.exitCode = 1;
} finally {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
