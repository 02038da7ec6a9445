// npm run bench:discovery [-- --names N] [--skip-sweep]: two figures of `vigie discover`, on loopback only.
//  1. CT: a crt.sh-compatible server answers N names (50 000 by default) for one domain; a loopback DNS
//     server answers NXDOMAIN for all of them; discovery (source ct, nothing saved) folds, resolves and
//     classifies them. Wall time and peak RSS of this process.
//  2. Network: a /24 of loopback addresses (127.0.1.0/24) swept on the full port list (web ports and
//     the service catalogue's), at 5 000 connections per second, 16 per host.
// Targets (issue 14): 50 000 names under 200 MB; the /24 under 30 s. Figures, not assertions.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { discoverNames } from '../src/app/discover/index.js';
import { builtinServices } from '../src/app/shared/load-catalogue.js';
import { startDnsServer } from '../src/demo/index.js';
import { systemClock } from '../src/domain/index.js';
import { defaultPorts } from '../src/engine/plan.js';

const argValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const count = Number(argValue('--names') ?? 50_000);
const DOMAIN = 'bench.vigie.test';
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);

const dir = fs.mkdtempSync(path.join(tmpdir(), 'vigie-bench-discovery-'));
const dns = await startDnsServer({ host: '127.0.0.76', records: [] });
const body = JSON.stringify(
  Array.from({ length: count / 2 }, (_, i) => ({
    issuer_id: 1,
    issuer_name: 'C=FR, O=Autorité de test, CN=Test CA',
    name_value: `hote-${2 * i}.${DOMAIN}\nhote-${2 * i + 1}.${DOMAIN}`,
    not_before: '2026-01-01T00:00:00',
    not_after: '2027-01-01T00:00:00',
    serial_number: (1_000_000 + i).toString(16),
  })),
);
const ct = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
});
await new Promise<void>((r) => ct.listen(0, '127.0.0.1', r));
const inventory = path.join(dir, 'vigie.yml');
fs.writeFileSync(inventory, 'organisation: { name: Banc }\n', { mode: 0o600 });
const ctx = { clock: systemClock, lang: 'fr' as const, dataDir: path.join(dir, 'data') };

console.log(`vigie discover — banc d’essai (charge : ${loadavg()[0]?.toFixed(2)})`);
const baseline = process.memoryUsage().rss;
peak = baseline;
let started = performance.now();
const result = await discoverNames(ctx, {
  inventoryFile: inventory,
  domains: [DOMAIN],
  sources: ['ct'],
  save: false,
  resolver: dns.address,
  concurrency: 64,
  timeoutMs: 2000,
  ctUrl: `http://127.0.0.1:${(ct.address() as AddressInfo).port}`,
});
console.log(
  `CT : ${count} noms (${mb(body.length)} Mo de JSON) → ${result.summary.names} classés ` +
    `(${result.summary.unresolved} non résolus) en ${((performance.now() - started) / 1000).toFixed(1)} s, ` +
    `RSS max ${mb(peak)} Mo, dont ${mb(peak - baseline)} Mo au-delà du processus chargé (${mb(baseline)} Mo ; ` +
    `le serveur DNS du banc, dans ce processus, garde ses questions) — cible : < 200 Mo`,
);
ct.close();
await dns.close();

if (!process.argv.includes('--skip-sweep')) {
  const ports = defaultPorts([...builtinServices().services.values()]);
  const ptr = await startDnsServer({ host: '127.0.0.77', records: [] });
  peak = process.memoryUsage().rss;
  started = performance.now();
  const sweep = await discoverNames(ctx, {
    inventoryFile: inventory,
    sources: ['network'],
    networks: ['127.0.1.0/24'],
    sweepPorts: ports,
    sweep: { ratePerSecond: 5000, perHostConcurrency: 16, concurrency: 256 },
    resolver: ptr.address,
    timeoutMs: 1000,
    save: false,
  });
  console.log(
    `Réseau : 256 adresses × ${ports.length} ports (${256 * ports.length} connexions) en ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s, ${sweep.summary.names} adresse(s) ouverte(s), ` +
      `RSS max ${mb(peak)} Mo (cible : < 30 s)`,
  );
  await ptr.close();
}
clearInterval(sampler);
fs.rmSync(dir, { recursive: true, force: true });
