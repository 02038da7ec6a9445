// A separate process serving N loopback HTTPS endpoints (TLS flaws and header sets vary) and N
// fake risky services, for the benchmark: the scanner and the servers do not share an event loop.
// Prints one JSON line with the ports, then serves until told to stop on stdin; reports its own
// CPU time on exit. With a second argument A (1 to 16), each web site also listens on
// 127.0.0.2 … 127.0.0.A (loopback only, each server bound to its one address): `addressed` gives,
// per address, the port of each site, so a bench estate is not held back by the per-host limit.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TlsOptions } from 'node:tls';
import {
  carelessSite,
  createCa,
  issueLeaf,
  pemChain,
  startFakeService,
  wellConfiguredSite,
  type FakeServiceKind,
} from '../src/demo/index.js';

const count = Number(process.argv[2] ?? 200);
const addressCount = Math.min(16, Math.max(1, Number(process.argv[3] ?? 1)));
const addresses = Array.from({ length: addressCount }, (_, i) => `127.0.0.${i + 1}`);
const root = await createCa({ commonName: 'Bench Root' });
const ca = await createCa({ commonName: 'Bench Intermediate', issuer: root });
const good = await issueLeaf({ commonName: 'bench.vigie.test', issuer: ca });
const expired = await issueLeaf({
  commonName: 'bench.vigie.test',
  issuer: ca,
  notBefore: new Date(Date.now() - 9e9),
  notAfter: new Date(Date.now() - 864e5),
});

const profiles: TlsOptions[] = [
  { minVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305' },
  { minVersion: 'TLSv1', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:AES128-SHA:@SECLEVEL=0' },
  { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA' },
  { minVersion: 'TLSv1.2' },
];

const closers: (() => Promise<void>)[] = [];
const web: number[] = [];
const addressed: { address: string; web: number[] }[] = addresses.map((address) => ({ address, web: [] }));
for (let i = 0; i < count; i++) {
  const leaf = i % 4 === 3 ? expired : good;
  for (const at of addressed) {
    const server = https.createServer(
      { key: leaf.keyPem, cert: pemChain(leaf, ca), ...profiles[i % 4] },
      i % 2 ? carelessSite : wellConfiguredSite,
    );
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, at.address, resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    at.web.push((server.address() as AddressInfo).port);
  }
  web.push(addressed[0]!.web[i]!);
}

const kinds: FakeServiceKind[] = ['redis', 'ssh', 'mysql', 'memcached'];
const services: { kind: FakeServiceKind; port: number }[] = [];
for (let i = 0; i < count; i++) {
  const kind = kinds[i % kinds.length]!;
  const s = await startFakeService(kind, { host: '127.0.0.1' });
  closers.push(() => s.close());
  services.push({ kind, port: s.port });
}

process.stdout.write(`${JSON.stringify({ web, addressed, services, rootPem: root.certPem })}\n`);
process.stdin.on('data', () => {
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ serverCpuMs: Math.round((cpu.user + cpu.system) / 1000) })}\n`);
  void Promise.all(closers.map((c) => c())).finally(() => process.exit(0));
});
