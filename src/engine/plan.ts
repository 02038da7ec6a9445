import type { CustomCheck, Endpoint, ServiceEntry } from '../domain/index.js';

export const SCAN_CATEGORIES = ['tls', 'http', 'services', 'dns'] as const;
export type ScanCategory = (typeof SCAN_CATEGORIES)[number];

/** Ports whose TLS service is HTTP: the HTTP checks run there (other TLS ports, e.g. IMAPS, only get TLS). */
const HTTPS_PORTS = new Set([443, 4443, 8443, 9443]);
/** Ports speaking plain HTTP. */
const HTTP_PORTS = new Set([80, 8000, 8080, 8008]);
/** Ports that speak plain text first: never probed with a ClientHello from the inventory. */
const PLAINTEXT_PORTS = new Set([21, 22, 23, 25, 53, 110, 143, 389, 587, ...HTTP_PORTS]);
/** Default web ports of a bare host. */
export const WEB_PORTS = [443, 80] as const;

/** What to run on one endpoint. */
export interface PlannedEndpoint {
  endpoint: Endpoint;
  tls: boolean;
  http?: { scheme: 'http' | 'https'; path: string };
  /** A service probe; `entry` is the catalogue's service for this port, when it has one. */
  service?: { entry?: ServiceEntry };
  customHttp: CustomCheck[];
  customTcp: CustomCheck[];
  /** An MX host of an assessed domain: SMTP capabilities, then the TLS checks through STARTTLS. */
  smtp?: boolean;
}

export interface PlanOptions {
  categories: readonly ScanCategory[];
  services: readonly ServiceEntry[];
  customChecks: readonly CustomCheck[];
  /** The endpoints come from the user's command line (`host:port`): probe what they named. */
  adHoc: boolean;
}

/** Every port a bare host (or an asset without `ports:`) is scanned on: web ports and catalogue ports. */
export function defaultPorts(services: readonly ServiceEntry[]): number[] {
  const ports = new Set<number>(WEB_PORTS);
  for (const s of services) if (s.transport !== 'udp') for (const p of s.ports) ports.add(p);
  return [...ports];
}

function serviceFor(port: number, services: readonly ServiceEntry[]): ServiceEntry | undefined {
  return services.find((s) => s.transport !== 'udp' && s.ports.includes(port));
}

/** Decides, per endpoint, which probes run: the port says what is expected there. */
export function planEndpoints(endpoints: readonly Endpoint[], opts: PlanOptions): PlannedEndpoint[] {
  const want = (c: ScanCategory) => opts.categories.includes(c);
  const planned = endpoints.map((endpoint): PlannedEndpoint => {
    const { port } = endpoint;
    const entry = serviceFor(port, opts.services);
    const https = HTTPS_PORTS.has(port) || endpoint.path !== undefined;
    const plainHttp = HTTP_PORTS.has(port);
    // A catalogue port is a service port; anything else named by the user is assumed to be TLS.
    const tls = want('tls') && !entry && !plainHttp && (opts.adHoc || !PLAINTEXT_PORTS.has(port));
    const scheme: 'http' | 'https' | undefined = plainHttp
      ? 'http'
      : https || (opts.adHoc && !entry)
        ? 'https'
        : undefined;
    const http = want('http') && scheme ? { scheme, path: endpoint.path ?? '/' } : undefined;
    const service =
      want('services') && (entry || (opts.adHoc && !tls && !http))
        ? { ...(entry ? { entry } : {}) }
        : undefined;
    const customHttp = http
      ? opts.customChecks.filter(
          (c) => c.kind === 'http' && (c.http.scheme === 'both' || c.http.scheme === http.scheme),
        )
      : [];
    return {
      endpoint,
      tls,
      ...(http ? { http } : {}),
      ...(service ? { service } : {}),
      customHttp,
      customTcp: [],
    };
  });
  // TCP custom checks name their own port: they run on every host of the scan.
  if (want('services')) {
    const tcpChecks = opts.customChecks.filter((c) => c.kind === 'tcp');
    const hosts = new Map<string, Endpoint>();
    for (const p of planned) if (!hosts.has(p.endpoint.host)) hosts.set(p.endpoint.host, p.endpoint);
    for (const check of tcpChecks) {
      if (check.kind !== 'tcp') continue;
      for (const base of hosts.values()) {
        let target = planned.find((p) => p.endpoint.host === base.host && p.endpoint.port === check.tcp.port);
        if (!target) {
          const { path: _path, ...rest } = base;
          target = { endpoint: { ...rest, port: check.tcp.port }, tls: false, customHttp: [], customTcp: [] };
          planned.push(target);
        }
        target.customTcp.push(check);
      }
    }
  }
  return planned.filter((p) => p.tls || p.http || p.service || p.customHttp.length || p.customTcp.length);
}
