import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { scanSpooled, scanTargets, type ScanRequest } from '../../../src/app/scan/index.js';
import { ScanSpool } from '../../../src/app/shared/scan-spool.js';
import { fixedClock, type Endpoint } from '../../../src/domain/index.js';
import { renderScanText, writePrettyJson, writeScanText } from '../../../src/report/index.js';
import { HANG_BOUND_MS } from '../../helpers/bounds.js';
import { createTestPki, TEST_HOST, type TestPki } from '../../helpers/test-pki.js';
import { startTlsServer } from '../../helpers/tls-server.js';

let pki: TestPki;
let work: string;
const savedTmp = process.env['TMPDIR'];

beforeAll(async () => {
  pki = await createTestPki();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-spool-test-'));
});
afterAll(() => {
  if (savedTmp === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = savedTmp;
  fs.rmSync(work, { recursive: true, force: true });
});

/** A temporary directory of the test's own, where the spool goes (TMPDIR). */
function ownTmp(name: string): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { mode: 0o700 });
  process.env['TMPDIR'] = dir;
  onTestFinished(() => {
    if (savedTmp === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = savedTmp;
  });
  return dir;
}

const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('ScanSpool', () => {
  it('is a 0600 file in a 0700 directory, reads back what was written, and is removed on close', () => {
    const tmp = ownTmp('unit');
    const spool = new ScanSpool();
    expect(path.dirname(spool.dir)).toBe(tmp);
    expect(mode(spool.dir)).toBe(0o700);
    expect(mode(spool.file)).toBe(0o600);
    const values = [
      { host: 'a.vigie.test', port: 443, gone: undefined, at: new Date('2026-12-04T12:00:00Z') },
      { text: 'é'.repeat(70_000) },
      [1, 2, 3],
    ];
    const refs = values.map((v) => spool.write(v));
    expect(refs.map((r) => spool.read(r))).toEqual(values);
    expect('gone' in spool.read<Record<string, unknown>>(refs[0]!)).toBe(true);
    spool.close();
    expect(fs.existsSync(spool.dir)).toBe(false);
    spool.close();
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  /** A child process that opens a spool (`prelude` first), prints its directory and waits. */
  async function childWithSpool(tmp: string, prelude = '') {
    const module = JSON.stringify(new URL('../../../src/app/shared/scan-spool.ts', import.meta.url).pathname);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `${prelude}
         const { ScanSpool } = await import(${module});
         const s = new ScanSpool(); s.write({ a: 1 }); console.log(s.dir); setInterval(() => {}, 1000);`,
      ],
      { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
    const lines: string[] = [];
    const dir = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no spool printed')), HANG_BOUND_MS);
      child.stdout.on('data', (d: Buffer) => {
        lines.push(...String(d).trim().split('\n'));
        clearTimeout(timer);
        resolve(lines[0]!);
      });
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('did not exit')), HANG_BOUND_MS);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal });
      });
    });
    return { child, dir, exited, lines };
  }

  it('is removed when the process is interrupted (SIGINT), which then ends as it would have', async () => {
    const tmp = ownTmp('signal');
    const { child, dir, exited } = await childWithSpool(tmp);
    expect(fs.existsSync(path.join(dir, 'results.bin'))).toBe(true);
    child.kill('SIGINT');
    expect((await exited).signal).toBe('SIGINT');
    expect(fs.existsSync(dir)).toBe(false);
    // (tsx keeps its own cache there too.)
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('vigie-scan-'))).toEqual([]);
  }, 30_000);

  it('leaves a signal the process handles itself to it, and is removed when it exits', async () => {
    const tmp = ownTmp('handled');
    const { child, dir, exited, lines } = await childWithSpool(
      tmp,
      `process.once('SIGTERM', () => { console.log('fini'); setTimeout(() => process.exit(0), 100); });`,
    );
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(lines).toContain('fini');
    expect(fs.existsSync(dir)).toBe(false);
  }, 30_000);
});

describe('scanSpooled', () => {
  const request = (endpoints: Endpoint[], extra: Partial<ScanRequest> = {}): ScanRequest => ({
    targets: [],
    endpoints,
    inventoryFile: path.join(work, 'absent.yml'),
    caFiles: [],
    trustAnchors: [pki.root.cert],
    categories: ['tls', 'http'],
    timeoutMs: 800,
    save: false,
    ...extra,
  });
  const ctx = () => ({
    clock: fixedClock(new Date('2026-12-04T12:00:00Z')),
    lang: 'fr' as const,
    dataDir: path.join(work, 'data'),
  });

  it('reads the result from its spool, the same as scanTargets keeps, and removes it on close', async () => {
    const a = await startTlsServer({ cert: await pki.leaf({}), chain: [pki.intermediate] });
    const b = await startTlsServer({ cert: await pki.leaf({ dnsNames: ['autre.vigie.test'] }), chain: [] });
    onTestFinished(() => Promise.all([a.close(), b.close()]).then(() => undefined));
    const endpoints = [
      { host: TEST_HOST, address: '127.0.0.1', port: a.port },
      { host: 'b.vigie.test', address: '127.0.0.1', port: b.port },
    ];
    const tmp = ownTmp('scan');
    const kept = await scanTargets(ctx(), request(endpoints));
    expect(fs.readdirSync(tmp)).toEqual([]);
    const spooled = await scanSpooled(ctx(), request(endpoints));
    const [dir] = fs.readdirSync(tmp);
    expect(mode(path.join(tmp, dir!))).toBe(0o700);
    expect(mode(path.join(tmp, dir!, 'results.bin'))).toBe(0o600);
    const view = spooled.result;
    expect(view.summary).toEqual(kept.summary);
    expect(view.endpoints.length).toBe(2);
    expect([...view.endpoints]).toEqual(kept.endpoints);
    // Read again: the same, in the same order.
    expect([...view.findings]).toEqual(kept.findings);
    expect([...view.findings]).toEqual(kept.findings);
    expect(kept.findings.length).toBeGreaterThan(1);
    // The writers give the same bytes from the spool as from the arrays.
    const same = { ...kept, run: view.run };
    const opts = { verbose: true, whereabouts: ['ici'] };
    expect(renderScanText(view, 'fr', opts)).toBe(renderScanText(same, 'fr', opts));
    const pieces: string[] = [];
    writeScanText(view, 'en', opts, (p) => pieces.push(p));
    expect(pieces.join('')).toBe(renderScanText(same, 'en', opts));
    const json: string[] = [];
    writePrettyJson(view, (p) => json.push(p));
    expect(json.join('')).toBe(`${JSON.stringify(same, null, 2)}\n`);
    spooled.close();
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(() => [...view.endpoints]).toThrow();
  });

  it('removes its spool when the scan throws', async () => {
    const a = await startTlsServer({ cert: await pki.leaf({}), chain: [pki.intermediate] });
    onTestFinished(() => a.close());
    const tmp = ownTmp('throws');
    const aborted = new AbortController();
    aborted.abort(new Error('abandon'));
    await expect(
      scanSpooled(
        ctx(),
        request([{ host: TEST_HOST, address: '127.0.0.1', port: a.port }], { signal: aborted.signal }),
      ),
    ).rejects.toThrow('abandon');
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});
