import http from 'node:http';
import type net from 'node:net';

/** One certificate as a crt.sh-compatible search lists it (names separated by newlines). */
export interface DemoCtEntry {
  name_value: string;
  not_before: string;
  not_after: string;
  issuer_name: string;
}

/**
 * A Certificate Transparency search for the demo domains, answering like crt.sh's JSON API
 * (`GET /?q=%25.{domain}&output=json` → a list of certificates), in plain HTTP on loopback. The
 * answers are written here by hand, not by vigie's CT client: the demo exercises the client.
 */
export async function listenCtSearch(
  address: string,
  port: number,
  byDomain: Readonly<Record<string, readonly DemoCtEntry[]>>,
): Promise<{ port: number; url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo');
    const q = url.searchParams.get('q') ?? '';
    if (
      req.method !== 'GET' ||
      url.pathname !== '/' ||
      url.searchParams.get('output') !== 'json' ||
      !q.startsWith('%.')
    ) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
      return;
    }
    const entries = byDomain[q.slice(2).toLowerCase()] ?? [];
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(entries));
  });
  const bound = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
  return {
    port: bound,
    url: `http://${address}:${bound}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
