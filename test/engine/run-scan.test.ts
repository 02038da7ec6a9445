import { describe, expect, it, onTestFinished } from 'vitest';
import { failed, observed } from '../../src/domain/index.js';
import { planEndpoints, runScan } from '../../src/engine/index.js';
import { startFakeService } from '../../src/demo/index.js';
import { loadServiceCatalogue } from '../../src/config/index.js';

const base = { timeoutMs: 800, concurrency: 8, trustAnchors: [], now: () => new Date(), expiryDays: 30 };

describe('runScan', () => {
  it('reports an unknown host name per named endpoint, once for default ports, and never as a pass', async () => {
    const plan = planEndpoints(
      [
        { host: 'inconnu.vigie.test', port: 443 },
        { host: 'inconnu.vigie.test', port: 8443 },
        { host: 'inconnu.vigie.test', port: 6379, implicit: true },
        { host: 'inconnu.vigie.test', port: 11211, implicit: true },
      ],
      { categories: ['tls', 'http', 'services'], services: [], customChecks: [], adHoc: true },
    );
    const r = await runScan(plan, { ...base, resolve: async (h) => failed('dns', `nom inconnu : ${h}`) });
    expect(r.endpoints.every((e) => e.status === 'error' && e.reason === 'dns')).toBe(true);
    expect(r.findings.map((f) => `${f.checkId}:${f.port}`).sort()).toEqual([
      'scan.error:443',
      'scan.error:8443',
    ]);
    expect(r.endpoints.flatMap((e) => Object.values(e.checks)).includes('pass')).toBe(false);

    const bare = planEndpoints(
      [443, 80, 6379].map((port) => ({ host: 'absent.vigie.test', port, implicit: true })),
      { categories: ['tls', 'http', 'services'], services: [], customChecks: [], adHoc: true },
    );
    const once = await runScan(bare, { ...base, resolve: async (h) => failed('dns', `nom inconnu : ${h}`) });
    expect(once.findings.map((f) => f.checkId)).toEqual(['scan.error']);
  });

  it('resolves each host once and probes the address it got', async () => {
    const redis = await startFakeService('redis', { host: '127.0.0.1' });
    onTestFinished(() => redis.close());
    const asked: string[] = [];
    const catalogue = loadServiceCatalogue(new URL('../../checks/services.yaml', import.meta.url).pathname);
    const entry = { ...catalogue.services.get('redis')!, ports: [redis.port] };
    const plan = planEndpoints([{ host: 'cache.vigie.test', port: redis.port }], {
      categories: ['services'],
      services: [entry],
      customChecks: [],
      adHoc: true,
    });
    const r = await runScan(plan, {
      ...base,
      resolve: async (h) => {
        asked.push(h);
        return observed('127.0.0.1');
      },
    });
    expect(asked).toEqual(['cache.vigie.test']);
    expect(r.endpoints[0]).toMatchObject({
      address: '127.0.0.1',
      service: { state: 'open', service: 'redis' },
    });
  });

  it('streams each host once judged, with the same results it would have kept, and keeps nothing', async () => {
    const redis = await startFakeService('redis', { host: '127.0.0.1' });
    onTestFinished(() => redis.close());
    const catalogue = loadServiceCatalogue(new URL('../../checks/services.yaml', import.meta.url).pathname);
    const entry = { ...catalogue.services.get('redis')!, ports: [redis.port] };
    const plan = planEndpoints(
      [
        { host: 'cache.vigie.test', address: '127.0.0.1', port: redis.port },
        { host: 'inconnu.vigie.test', port: 443 },
        { host: 'inconnu.vigie.test', port: 8443 },
        { host: 'autre.vigie.test', address: '127.0.0.1', port: redis.port },
      ],
      { categories: ['services'], services: [entry], customChecks: [], adHoc: true },
    );
    const opts = {
      ...base,
      resolve: async (h: string) => failed('dns', `nom inconnu : ${h}`),
    };
    const kept = await runScan(plan, opts);
    const batches: { hosts: string[]; findings: string[] }[] = [];
    const streamed = await runScan(plan, {
      ...opts,
      onResults: (endpoints, findings) => {
        if (endpoints.length === 0) return;
        batches.push({
          hosts: endpoints.map((e) => `${e.host}:${e.port}`),
          findings: findings.map((f) => `${f.checkId}@${f.host}:${f.port}`),
        });
      },
    });
    expect(streamed).toEqual({ endpoints: [], findings: [] });
    // One batch per host, the host's endpoints together.
    expect(batches.map((b) => b.hosts).sort()).toEqual([
      [`autre.vigie.test:${redis.port}`],
      [`cache.vigie.test:${redis.port}`],
      ['inconnu.vigie.test:443', 'inconnu.vigie.test:8443'],
    ]);
    expect(batches.flatMap((b) => b.findings).sort()).toEqual(
      kept.findings.map((f) => `${f.checkId}@${f.host}:${f.port}`).sort(),
    );
    expect(kept.findings.length).toBeGreaterThan(2);
  });
});
