// npm run bench [-- N]: scans N loopback TLS endpoints served by a separate process and prints
// endpoints/second, wall time, peak RSS, and where the time goes.
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createInterface } from 'node:readline';
import { TLS_VERSIONS, type Endpoint } from '../src/domain/index.js';
import { planEndpoints, runScan } from '../src/engine/index.js';
import { defaultTrustAnchors } from '../src/probes/index.js';
import { fetchCertificateChain } from '../src/probes/tls/certificate-fetch.js';
import { sendHello } from '../src/probes/tls/hello-probe.js';
import { suitesOfClass } from '../src/probes/tls/cipher-suites.js';
import pLimit from 'p-limit';

const N = Number(process.argv[2] ?? 200);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 32);

const child = spawn(
  process.execPath,
  ['--import', 'tsx', new URL('./tls-estate-server.ts', import.meta.url).pathname, String(N)],
  {
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
const first = await lines.next();
const { ports, rootPem } = JSON.parse(String(first.value)) as { ports: number[]; rootPem: string };
const endpoints: Endpoint[] = ports.map((port) => ({ host: 'bench.vigie.test', address: '127.0.0.1', port }));
const trustAnchors = [...defaultTrustAnchors(), new X509Certificate(rootPem)];

const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

// 1. The whole TLS check set, as `vigie scan` runs it.
const t0 = process.hrtime.bigint();
const result = await runScan(planEndpoints(endpoints, { categories: ['tls'], services: [], customChecks: [], adHoc: true }), {
  timeoutMs: 5000,
  concurrency: CONCURRENCY,
  trustAnchors,
  now: () => new Date(),
  expiryDays: 30,
});
const wall = ms(t0);
const assessed = result.endpoints.filter((e) => e.status === 'assessed').length;

// 2. Where the time goes: the same work split by kind of connection.
const limit = pLimit(CONCURRENCY * 4);
const t1 = process.hrtime.bigint();
await Promise.all(
  endpoints.flatMap((e) =>
    TLS_VERSIONS.map((version) =>
      limit(() =>
        sendHello(
          e,
          {
            version,
            suites: suitesOfClass('static-rsa', version).concat(suitesOfClass('aead', version)),
            want: 'hello',
            serverName: e.host,
          },
          { timeoutMs: 5000 },
        ),
      ),
    ),
  ),
);
const helloPhase = ms(t1);
const t2 = process.hrtime.bigint();
await Promise.all(
  endpoints.map((e) => limit(() => fetchCertificateChain(e, { timeoutMs: 5000, serverName: e.host }))),
);
const certPhase = ms(t2);

child.stdin.write('stop\n');
const last = await lines.next();
const { serverCpuMs } = JSON.parse(String(last.value)) as { serverCpuMs: number };
const cpu = process.cpuUsage();
const peakRssMb = process.resourceUsage().maxRSS / 1024;

console.log(`vigie bench — TLS scan of ${N} loopback endpoints (concurrency ${CONCURRENCY}, 2 processes)`);
console.log(`  endpoints assessed     ${assessed}/${N}, findings ${result.findings.length}`);
console.log(`  wall time              ${(wall / 1000).toFixed(2)} s`);
console.log(`  throughput             ${(N / (wall / 1000)).toFixed(1)} endpoints/s`);
console.log(`  peak RSS (scanner)     ${peakRssMb.toFixed(0)} MB`);
console.log(`  scanner CPU            ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (all phases)`);
console.log(
  `  server CPU             ${serverCpuMs} ms (all phases; handshakes are mostly the server's work)`,
);
console.log('  where the time goes (each phase alone, same endpoints):');
console.log(`    6 raw ClientHellos per endpoint      ${(helloPhase / 1000).toFixed(2)} s`);
console.log(`    1 full handshake + chain per endpoint ${(certPhase / 1000).toFixed(2)} s`);
const target = wall < 10_000 && peakRssMb < 200;
console.log(`  target (< 10 s, < 200 MB)  ${target ? 'met' : 'NOT met'}`);
