import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ConnectionGate } from '../../src/domain/index.js';
import { planEndpoints, runScan, withConnectionGate } from '../../src/engine/index.js';
import { listenForTest } from '../helpers/listen.js';

const base = { timeoutMs: 2000, concurrency: 16, trustAnchors: [], now: () => new Date(), expiryDays: 30 };

/** Servers on 127.0.0.1 that count the connections open at once, all together; each is reset after 40 ms. */
async function countingServers(n: number) {
  const stats = { open: 0, max: 0, total: 0 };
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const server = net.createServer((s) => {
      stats.total += 1;
      stats.open += 1;
      stats.max = Math.max(stats.max, stats.open);
      s.on('error', () => undefined);
      s.resume();
      setTimeout(() => {
        // Counted down before the reset: the client cannot let go of its slot earlier.
        stats.open -= 1;
        s.resetAndDestroy();
      }, 40);
    });
    ports.push(await listenForTest(server));
  }
  return { ports, stats };
}

/** An in-memory gate: `limit` holders per address, counting what it was asked. */
function memoryGate(limit: number) {
  const held = new Map<string, number>();
  const waiting: (() => void)[] = [];
  const asked: string[] = [];
  const gate: ConnectionGate = {
    acquire: async (address) => {
      asked.push(address);
      while ((held.get(address) ?? 0) >= limit) await new Promise<void>((r) => waiting.push(r));
      held.set(address, (held.get(address) ?? 0) + 1);
      return () => {
        held.set(address, (held.get(address) ?? 1) - 1);
        waiting.splice(0).forEach((r) => r());
      };
    },
  };
  return { gate, asked };
}

const plan = (ports: number[]) =>
  planEndpoints(
    ports.map((port) => ({ host: 'gate.vigie.test', address: '127.0.0.1', port })),
    { categories: ['tls'], services: [], customChecks: [], adHoc: true },
  );

describe('the connection gate of the engine', () => {
  it('takes a slot of the address before every TLS connection, and holds the engine to it', async () => {
    const { ports, stats } = await countingServers(6);
    const { gate, asked } = memoryGate(2);
    const r = await runScan(plan(ports), { ...base, gate });
    expect(r.endpoints).toHaveLength(6);
    expect(stats.total).toBeGreaterThanOrEqual(12);
    // Every connection the servers saw went through the gate, for the endpoint's address.
    expect(asked.length).toBe(stats.total);
    expect(new Set(asked)).toEqual(new Set(['127.0.0.1']));
    expect(stats.max).toBeGreaterThan(0);
    expect(stats.max).toBeLessThanOrEqual(2);
  });

  it('takes the gate of the async scope when its options name none', async () => {
    const { ports, stats } = await countingServers(6);
    const { gate, asked } = memoryGate(1);
    await withConnectionGate(gate, () => runScan(plan(ports), base));
    expect(asked.length).toBe(stats.total);
    expect(stats.max).toBe(1);
  });

  it('opens several connections at once to one address without a gate', async () => {
    const { ports, stats } = await countingServers(6);
    await runScan(plan(ports), base);
    expect(stats.max).toBeGreaterThan(2);
  });
});
