import { describe, expect, it } from 'vitest';
import { loadServiceCatalogue } from '../../src/config/index.js';
import { defaultPorts, planEndpoints, type PlannedEndpoint } from '../../src/engine/index.js';

const services = [
  ...loadServiceCatalogue(new URL('../../checks/services.yaml', import.meta.url).pathname).services.values(),
];
const all = { categories: ['tls', 'http', 'services'] as const, services, customChecks: [] };
const roles = (p: PlannedEndpoint) =>
  [
    p.tls ? 'tls' : '',
    p.http ? `http:${p.http.scheme}${p.http.path}` : '',
    p.service ? `service:${p.service.entry?.name ?? '?'}` : '',
  ]
    .filter(Boolean)
    .join(' ');

describe('planEndpoints', () => {
  it('decides from the port what runs where', () => {
    const plan = planEndpoints(
      [443, 80, 8443, 6379, 22, 993, 8080].map((port) => ({ host: 'h.vigie.test', port })),
      { ...all, adHoc: false },
    );
    expect(Object.fromEntries(plan.map((p) => [p.endpoint.port, roles(p)]))).toEqual({
      443: 'tls http:https/',
      80: 'http:http/',
      8443: 'tls http:https/',
      6379: 'service:redis',
      22: 'service:ssh',
      993: 'tls',
      8080: 'http:http/',
    });
  });

  it('takes a URL path for the HTTP checks, and runs only the categories asked', () => {
    const [p] = planEndpoints([{ host: 'h.vigie.test', port: 443, path: '/portail?x=1' }], {
      ...all,
      adHoc: true,
    });
    expect(p && roles(p)).toBe('tls http:https/portail?x=1');
    const [only] = planEndpoints([{ host: 'h.vigie.test', port: 443 }], {
      ...all,
      categories: ['tls'],
      adHoc: true,
    });
    expect(only && roles(only)).toBe('tls');
    expect(
      planEndpoints([{ host: 'h.vigie.test', port: 6379 }], { ...all, categories: ['tls'], adHoc: true }),
    ).toEqual([]);
  });

  it('probes an ad-hoc unknown port as TLS, and scans a bare host on web and catalogue ports', () => {
    const [p] = planEndpoints([{ host: 'h.vigie.test', port: 4433 }], { ...all, adHoc: true });
    expect(p && roles(p)).toBe('tls http:https/');
    const ports = defaultPorts(services);
    expect(ports.slice(0, 2)).toEqual([443, 80]);
    for (const port of [
      22, 23, 21, 445, 3389, 5900, 3306, 5432, 1433, 1521, 27017, 6379, 9200, 11211, 5984, 2375, 2376, 10250,
      2379, 389, 873,
    ]) {
      expect(ports, String(port)).toContain(port);
    }
    expect(ports).not.toContain(161); // UDP services are not swept by TCP connect
  });
});
