// npm run bench [-- N]: scans N loopback HTTPS endpoints (the whole TLS and HTTP check sets) and N
// risky services served by a separate process; prints endpoints/second, wall time, peak RSS and
// where the time goes.
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';
import { loadServiceCatalogue } from '../src/config/index.js';
import { TLS_VERSIONS, type Endpoint, type ServiceEntry } from '../src/domain/index.js';
import {
  DEFAULT_TLS_ENUMERATION,
  planEndpoints,
  runScan,
  type PlannedEndpoint,
  type TlsEnumerationMode,
} from '../src/engine/index.js';
import { httpProbe } from '../src/probes/http/index.js';
import { defaultTrustAnchors } from '../src/probes/index.js';
import { fetchCertificateChain } from '../src/probes/tls/certificate-fetch.js';
import { suitesOfClass } from '../src/domain/cipher-suites.js';
import { sendHello } from '../src/probes/tls/hello-probe.js';

const N = Number(process.argv[2] ?? 200);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 32);
// scan.tlsEnumeration of the run: the engine's default (`profiles`; the bench estate has no profile) unless told.
const ENUMERATION = (process.env['BENCH_TLS_ENUMERATION'] ?? DEFAULT_TLS_ENUMERATION) as TlsEnumerationMode;

const child = spawn(
  process.execPath,
  ['--import', 'tsx', new URL('./tls-estate-server.ts', import.meta.url).pathname, String(N)],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
const first = await lines.next();
const { web, services, rootPem } = JSON.parse(String(first.value)) as {
  web: number[];
  services: { kind: string; port: number }[];
  rootPem: string;
};
const host = 'bench.vigie.test';
const webEndpoints: Endpoint[] = web.map((port) => ({ host, address: '127.0.0.1', port, path: '/' }));
const trustAnchors = [...defaultTrustAnchors(), new X509Certificate(rootPem)];
const catalogue = loadServiceCatalogue(new URL('../checks/services.yaml', import.meta.url).pathname);
const engine = {
  timeoutMs: 5000,
  concurrency: CONCURRENCY,
  trustAnchors,
  services: catalogue,
  now: () => new Date(),
  expiryDays: 30,
  tlsEnumeration: ENUMERATION,
};

const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;
const secs = (m: number) => `${(m / 1000).toFixed(2)} s`;

// 1. TLS + HTTP checks on every web endpoint, as `vigie scan` runs them.
let t = process.hrtime.bigint();
const webScan = await runScan(
  planEndpoints(webEndpoints, { categories: ['tls', 'http'], services: [], customChecks: [], adHoc: true }),
  engine,
);
const webWall = ms(t);
// Peak RSS so far: the scan itself, before the per-phase measurements below add their own garbage.
const scanPeakRssMb = process.resourceUsage().maxRSS / 1024;

// 2. Risky services: each fake is planned with its catalogue entry on the port it got.
const servicePlan: PlannedEndpoint[] = services.map(({ kind, port }) => {
  const entry = catalogue.services.get(kind) as ServiceEntry;
  return {
    endpoint: { host, address: '127.0.0.1', port },
    tls: false,
    service: { entry: { ...entry, ports: [port] } },
    customHttp: [],
    customTcp: [],
  };
});
t = process.hrtime.bigint();
const serviceScan = await runScan(servicePlan, engine);
const serviceWall = ms(t);

// 3. Where the time goes: the same web work split by kind of connection.
const limit = pLimit(CONCURRENCY * 4);
t = process.hrtime.bigint();
await Promise.all(
  webEndpoints.flatMap((e) =>
    TLS_VERSIONS.map((version) =>
      limit(() =>
        sendHello(
          e,
          {
            version,
            suites: [...suitesOfClass('static-rsa', version), ...suitesOfClass('aead', version)],
            want: 'hello',
            serverName: host,
          },
          { timeoutMs: 5000 },
        ),
      ),
    ),
  ),
);
const helloPhase = ms(t);
t = process.hrtime.bigint();
await Promise.all(
  webEndpoints.map((e) => limit(() => fetchCertificateChain(e, { timeoutMs: 5000, serverName: host }))),
);
const certPhase = ms(t);
t = process.hrtime.bigint();
await Promise.all(webEndpoints.map((e) => limit(() => httpProbe(e, { scheme: 'https', timeoutMs: 5000 }))));
const httpPhase = ms(t);

child.stdin.write('stop\n');
const last = await lines.next();
const { serverCpuMs } = JSON.parse(String(last.value)) as { serverCpuMs: number };
const cpu = process.cpuUsage();
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const assessed = (r: typeof webScan) => r.endpoints.filter((e) => e.status === 'assessed').length;

console.log(
  `vigie bench — ${N} HTTPS endpoints and ${N} risky services on loopback (concurrency ${CONCURRENCY}, 2 processes, tlsEnumeration ${ENUMERATION})`,
);
console.log(
  `  TLS + HTTP checks       ${assessed(webScan)}/${N} assessed, ${webScan.findings.length} findings, ${secs(webWall)}, ${(N / (webWall / 1000)).toFixed(1)} endpoints/s`,
);
console.log(
  `  service checks          ${assessed(serviceScan)}/${N} assessed, ${serviceScan.findings.length} findings, ${secs(serviceWall)}, ${(N / (serviceWall / 1000)).toFixed(1)} endpoints/s`,
);
console.log(
  `  peak RSS (scanner)      ${scanPeakRssMb.toFixed(0)} MB during the TLS + HTTP scan, ${peakRssMb.toFixed(0)} MB over the whole bench`,
);
// Handshakes the TLS enumeration spent per endpoint (on top of the 6 version hellos, 8 family hellos and the chain).
const spent = webScan.endpoints.flatMap((e) => (e.tls?.enumeration ? [e.tls.enumeration.handshakes] : []));
if (spent.length > 0) {
  const avg = spent.reduce((a, b) => a + b, 0) / spent.length;
  console.log(
    `  enumeration handshakes  avg ${avg.toFixed(1)}, max ${Math.max(...spent)} per endpoint (${spent.length} endpoints; + 15 for versions, families and chain)`,
  );
}
console.log(`  scanner CPU             ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (all phases)`);
console.log(
  `  server CPU              ${serverCpuMs} ms (all phases; handshakes are mostly the server's work)`,
);
console.log('  where the web time goes (each phase alone, same endpoints):');
console.log(`    6 raw ClientHellos per endpoint        ${secs(helloPhase)}`);
console.log(`    1 full handshake + chain per endpoint  ${secs(certPhase)}`);
console.log(`    HTTP page + security.txt + CORS         ${secs(httpPhase)}`);
console.log(
  `  TLS target (< 10 s for ${N}, < 200 MB)   ${webWall < 10_000 && peakRssMb < 200 ? 'met' : 'NOT met'}`,
);
