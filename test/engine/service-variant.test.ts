import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadServiceCatalogue } from '../../src/config/index.js';
import { startFakeService } from '../../src/demo/index.js';
import { serviceCheckMetas } from '../../src/domain/index.js';
import { planEndpoints, runScan } from '../../src/engine/index.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/services/variant.yaml', import.meta.url));

describe('a service an existing probe identifies, added as one entry of services.yaml', () => {
  it('gets its checks’ text from its record, and its findings under its own name', async () => {
    const catalogue = loadServiceCatalogue(FIXTURE);
    expect(serviceCheckMetas(catalogue).map((m) => [m.id, m.severity])).toEqual([
      ['service.exposed.redis-sentinel', 'high'],
      ['service.redis-sentinel.unauthenticated', 'critical'],
    ]);

    const fake = await startFakeService('redis', { host: '127.0.0.1' });
    onTestFinished(() => fake.close());
    const entry = { ...catalogue.services.get('redis-sentinel')!, ports: [fake.port] };
    const plan = planEndpoints([{ host: 'cache.vigie.test', address: '127.0.0.1', port: fake.port }], {
      categories: ['services'],
      services: [entry],
      customChecks: [],
      adHoc: false,
    });
    const r = await runScan(plan, {
      timeoutMs: 2000,
      concurrency: 2,
      trustAnchors: [],
      now: () => new Date(),
      expiryDays: 30,
      services: { version: 1, services: new Map([[entry.name, entry]]) },
    });
    expect(r.endpoints[0]?.service).toMatchObject({ state: 'open', service: 'redis-sentinel' });
    expect(r.findings.map((f) => [f.checkId, f.params['service']])).toEqual([
      ['service.exposed.redis-sentinel', 'Redis Sentinel'],
      ['service.redis-sentinel.unauthenticated', 'Redis Sentinel'],
    ]);
  });
});
