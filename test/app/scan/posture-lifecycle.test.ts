import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChapter, buildReport, recordReport } from '../../../src/app/report/index.js';
import { listFindings, showFinding, unwaiveFinding, waiveFinding } from '../../../src/app/findings/index.js';
import { scanTargets, type ScanRequest } from '../../../src/app/scan/index.js';
import { pemChain, type Issued } from '../../../src/demo/index.js';
import { fixedClock } from '../../../src/domain/index.js';
import { renderReportMarkdown } from '../../../src/report/index.js';
import { createTestPki, TEST_HOST, type TestPki } from '../../helpers/test-pki.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let pki: TestPki;
let dir: string;
let server: tls.Server;
let port: number;
let good: Issued;
let sha1: Issued;
let inventory: string;
const base = Math.floor(Date.now() / 1000) * 1000;
const at = (hours: number) => new Date(base + hours * HOUR);
const ctx = (when: Date) => ({
  clock: fixedClock(when),
  lang: 'fr' as const,
  dataDir: path.join(dir, 'data'),
});

function serve(cert: Issued) {
  server.setSecureContext({
    key: cert.keyPem,
    cert: pemChain(cert, pki.intermediate),
    ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0',
  });
}

beforeAll(async () => {
  pki = await createTestPki();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-life-'));
  good = await pki.leaf();
  sha1 = await pki.leaf({ signatureHash: 'SHA-1' });
  server = tls.createServer(
    {
      key: sha1.keyPem,
      cert: pemChain(sha1, pki.intermediate),
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0',
    },
    (s) => s.end(),
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  fs.writeFileSync(path.join(dir, 'racine.pem'), pki.root.certPem);
  inventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventory,
    `organisation: { name: Commune Test }
trust: { caFiles: [racine.pem] }
assets:
  - { id: portail, name: Portail, owner: DSI web, criticality: critical, hosts: [{ name: ${TEST_HOST}, address: 127.0.0.1 }], ports: [${port}] }
`,
  );
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

const scanAt = (hours: number, extra: Partial<ScanRequest> = {}) =>
  scanTargets(ctx(at(hours)), {
    targets: [],
    inventoryFile: inventory,
    caFiles: [],
    categories: ['tls'],
    timeoutMs: 800,
    save: true,
    ...extra,
  });

const statusOf = async (hours: number) =>
  Object.fromEntries(
    (
      await listFindings(ctx(at(hours)), {
        inventoryFile: inventory,
        status: ['new', 'open', 'resolved', 'regressed', 'waived'],
      })
    ).map((f) => [f.checkId, f.status]),
  );

describe('a finding through its life, with grades, posture, waivers and reports', () => {
  it('goes new → resolved → regressed, keeps open when unassessed, and is waived then lapses', async () => {
    const first = await scanAt(1);
    expect(first.findings.map((f) => f.checkId)).toEqual(['tls.cert.weak-signature']);
    expect(first.endpoints[0]?.tls?.grade).toMatchObject({ grade: 'T' });
    expect(first.posture?.index).toBe(80); // one high finding on the only (critical) endpoint
    expect(await statusOf(1)).toEqual({ 'tls.cert.weak-signature': 'new' });

    serve(good);
    const fixed = await scanAt(2);
    expect(fixed.findings).toEqual([]);
    expect(fixed.endpoints[0]?.tls?.grade?.grade).toMatch(/^A/);
    expect(await statusOf(2)).toEqual({ 'tls.cert.weak-signature': 'resolved' });

    serve(sha1);
    await scanAt(3);
    expect(await statusOf(3)).toEqual({ 'tls.cert.weak-signature': 'regressed' });
    const fingerprint = first.findings[0]!.fingerprint;
    const detail = await showFinding(ctx(at(3)), fingerprint, inventory);
    expect(detail.finding.firstSeen).toBe(at(1).toISOString());
    expect(detail.finding.owner).toBe('DSI web');
    expect(detail.timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['first-seen', 'resolved', 'regressed']),
    );

    // The endpoint cannot be assessed: the finding is not resolved by silence.
    await scanAt(4, { timeoutMs: 300, caFiles: [], trustAnchors: [], inventoryFile: writeBrokenPort() });
    expect((await statusOf(4))['tls.cert.weak-signature']).toBe('regressed');

    // Comply-or-explain: waived for 30 days, out of the index, struck through in the report.
    await expect(
      waiveFinding(ctx(at(5)), fingerprint, { reason: ' ', until: at(5 + 24).toISOString() }),
    ).rejects.toThrow(/motivée/);
    await expect(
      waiveFinding(ctx(at(5)), fingerprint, {
        reason: 'x',
        until: new Date(at(5).getTime() + 400 * DAY).toISOString(),
      }),
    ).rejects.toThrow(/an/);
    await waiveFinding(ctx(at(5)), fingerprint, {
      reason: 'Migration en cours',
      until: new Date(at(5).getTime() + 30 * DAY).toISOString(),
      by: 'RSSI',
    });
    expect((await statusOf(6))['tls.cert.weak-signature']).toBe('waived');
    const report = await buildReport(ctx(at(6)), { inventoryFile: inventory });
    // Only the scan.error of the unreachable run still counts (medium: −8).
    expect(report.posture.current?.index).toBe(92);
    expect(report.waivers[0]).toMatchObject({ reason: 'Migration en cours', by: 'RSSI', state: 'active' });
    expect(renderReportMarkdown(report, 'fr')).toMatch(/~~.*~~/);
    await recordReport(ctx(at(6)), report, 'md');

    // Past its date the waiver lapses and the finding counts again.
    expect((await statusOf(6 + 31 * 24))['tls.cert.weak-signature']).toBe('regressed');
    const later = await buildReport(ctx(at(7 + 31 * 24)), { inventoryFile: inventory });
    expect(later.posture.previous).toMatchObject({ index: 92 });
    expect(later.posture.delta).toBe(-20);
    expect(later.posture.trend.length).toBeGreaterThanOrEqual(3);

    // Unwaive needs an active waiver.
    await expect(unwaiveFinding(ctx(at(8 + 31 * 24)), fingerprint, { by: 'RSSI' })).rejects.toThrow();
  });

  it('writes the trust chapter with each indicator and how it is computed', async () => {
    const chapter = await buildChapter(ctx(at(9)), {
      year: at(9).getUTCFullYear(),
      inventoryFile: inventory,
    });
    const byId = Object.fromEntries(chapter.indicators.map((i) => [i.id, i]));
    expect(byId['coverage']?.value).toBe('100 %');
    expect(byId['remediation']?.rows?.find((r) => r.label.startsWith('haute'))?.value).toMatch(/jour/);
    expect(byId['posture']?.available).toBe(true);
    // Month names in French (Intl), one row per month with a scan.
    const months = [
      'janvier',
      'février',
      'mars',
      'avril',
      'mai',
      'juin',
      'juillet',
      'août',
      'septembre',
      'octobre',
      'novembre',
      'décembre',
    ];
    expect(byId['posture']?.rows?.map((r) => r.label)).toContain(months[at(9).getUTCMonth()]);
    // Preparation comes from the shipped playbook register; no incident was opened this year.
    expect(byId['playbooks']?.available).toBe(true);
    expect(byId['playbooks']?.rows).toHaveLength(12);
    expect(byId['incidents']).toMatchObject({ available: true, value: 'aucun incident' });
    for (const i of chapter.indicators) expect(i.method.length).toBeGreaterThan(20);
  });
});

/** The same asset pointing at a closed port: the scan cannot assess it. */
function writeBrokenPort(): string {
  const file = path.join(dir, 'broken.yml');
  fs.writeFileSync(
    file,
    fs
      .readFileSync(inventory, 'utf8')
      .replace(`ports: [${port}]`, `ports: [${port}]`)
      .replace('address: 127.0.0.1', 'address: 127.0.0.2'),
  );
  return file;
}
