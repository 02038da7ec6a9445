import http from 'node:http';
import net from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fetchCtEntries, sweepAddresses, zoneTransfer } from '../../../src/probes/discovery/index.js';

function listen(server: net.Server, host = '127.0.0.1'): Promise<number> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  onTestFinished(() => {
    for (const s of sockets) s.destroy();
    return new Promise((r) => server.close(() => r(undefined)));
  });
  return new Promise((resolve) =>
    server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port)),
  );
}

describe('CT client', () => {
  it('ends a body that never finishes within its deadline, as a timeout', async () => {
    const sockets: net.Socket[] = [];
    const server = http.createServer((req, res) => {
      sockets.push(req.socket);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[{"name_value":"a.exemple.fr"}');
      // …and never ends.
    });
    onTestFinished(() => sockets.forEach((s) => s.destroy()));
    const port = await listen(server);
    const started = Date.now();
    const out = await fetchCtEntries(`http://127.0.0.1:${port}`, 'exemple.fr', {
      timeoutMs: 300,
      maxBytes: 1024,
      maxEntries: 10,
    });
    expect(out).toMatchObject({ status: 'error', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('asks the crt.sh-compatible URL and keeps only entries with a name_value string', async () => {
    let asked = '';
    const server = http.createServer((req, res) => {
      asked = req.url ?? '';
      res.end(
        JSON.stringify([{ name_value: 'a.exemple.fr', not_after: 'x' }, { name_value: 3 }, null, 'texte']),
      );
    });
    const port = await listen(server);
    const out = await fetchCtEntries(`http://127.0.0.1:${port}/api`, 'exemple.fr');
    expect(asked).toBe('/api/?q=%25.exemple.fr&output=json');
    expect(out).toEqual({ status: 'observed', value: [{ name_value: 'a.exemple.fr', not_after: 'x' }] });
  });
});

describe('zone transfer', () => {
  it('reads a server that closes without answering as a refusal, and garbage as a protocol error', async () => {
    const closing = net.createServer((s) => s.end());
    const closingPort = await listen(closing, '127.0.0.78');
    expect(await zoneTransfer({ host: '127.0.0.78', port: closingPort }, 'exemple.fr')).toEqual({
      status: 'observed',
      value: { allowed: false, rcode: 'closed' },
    });
    const garbage = net.createServer((s) => {
      s.on('data', () => s.write(Buffer.from([0, 4, 1, 2, 3, 4])));
      s.on('error', () => undefined);
    });
    const garbagePort = await listen(garbage, '127.0.0.78');
    expect(await zoneTransfer({ host: '127.0.0.78', port: garbagePort }, 'exemple.fr')).toMatchObject({
      status: 'error',
      reason: 'protocol-error',
    });
  });
});

describe('network sweep', () => {
  it('finds the port a listener holds, and paces its attempts', async () => {
    const server = net.createServer((s) => s.destroy());
    const port = await listen(server, '127.0.0.79');
    const started = Date.now();
    const open = await sweepAddresses(
      ['127.0.0.79'],
      Array.from({ length: 20 }, () => port),
      {
        timeoutMs: 1000,
        ratePerSecond: 50,
        perHostConcurrency: 4,
        concurrency: 8,
      },
    );
    expect(open.get('127.0.0.79')?.[0]).toBe(port);
    // 20 attempts at 50 per second: at least 19 intervals of 20 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(360);
  });
});
