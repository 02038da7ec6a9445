// A separate process serving N loopback TLS endpoints for the benchmark: the scanner and the
// servers do not share an event loop. Prints one JSON line with the ports, then serves until
// told to stop on stdin; reports its own CPU time on exit.
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createCa, issueLeaf, pemChain } from '../src/demo/index.js';

const count = Number(process.argv[2] ?? 200);
const root = await createCa({ commonName: 'Bench Root' });
const ca = await createCa({ commonName: 'Bench Intermediate', issuer: root });
const good = await issueLeaf({ commonName: 'bench.vigie.test', issuer: ca });
const expired = await issueLeaf({
  commonName: 'bench.vigie.test',
  issuer: ca,
  notBefore: new Date(Date.now() - 9e9),
  notAfter: new Date(Date.now() - 864e5),
});

const profiles: tls.TlsOptions[] = [
  { minVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305' },
  { minVersion: 'TLSv1', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:AES128-SHA:@SECLEVEL=0' },
  { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA' },
  { minVersion: 'TLSv1.2' },
];

const servers: tls.Server[] = [];
const ports: number[] = [];
for (let i = 0; i < count; i++) {
  const leaf = i % 4 === 3 ? expired : good;
  const server = tls.createServer({ key: leaf.keyPem, cert: pemChain(leaf, ca), ...profiles[i % 4] }, (s) =>
    s.end(),
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  ports.push((server.address() as AddressInfo).port);
}
process.stdout.write(`${JSON.stringify({ ports, rootPem: root.certPem })}\n`);
process.stdin.on('data', () => {
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ serverCpuMs: Math.round((cpu.user + cpu.system) / 1000) })}\n`);
  for (const s of servers) s.close();
  process.exit(0);
});
