import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueLeaf, type Issued } from '../../../src/demo/index.js';
import { headerValue, headerValues, type HttpObservation, type Outcome } from '../../../src/domain/index.js';
import { httpGet, httpProbe, USER_AGENT } from '../../../src/probes/http/index.js';
import { listenForTest } from '../../helpers/listen.js';
import { HANG_BOUND_MS, UNREACHED_TIMEOUT_MS } from '../../helpers/bounds.js';

/** Never reached by the tests that use it: those that time out give their own. */
const TIMEOUT_MS = UNREACHED_TIMEOUT_MS;
const HOST = 'service.vigie.test';
const DAY_MS = 86_400_000;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const listen = listenForTest;

/** A handler that ignores the errors of a response the client stopped reading. */
function safe(handler: Handler): Handler {
  return (req, res) => {
    res.on('error', () => undefined);
    req.socket.on('error', () => undefined);
    handler(req, res);
  };
}

async function startHttp(handler: Handler): Promise<number> {
  return listen(createHttpServer(safe(handler)));
}

/** An HTTPS server; `servernames` lists the SNI names received. */
async function startHttps(cert: Issued, handler: Handler): Promise<{ port: number; servernames: string[] }> {
  const servernames: string[] = [];
  const server = createHttpsServer({ key: cert.keyPem, cert: cert.certPem }, safe(handler));
  server.on('secureConnection', (s: TLSSocket) => {
    const name = (s as TLSSocket & { servername?: string | false }).servername;
    if (name) servernames.push(name);
  });
  server.on('tlsClientError', () => undefined);
  return { port: await listen(server), servernames };
}

function observedValue(outcome: Outcome<HttpObservation>): HttpObservation {
  if (outcome.status !== 'observed')
    throw new Error(`expected an observation, got ${JSON.stringify(outcome)}`);
  return outcome.value;
}

describe('httpProbe over plain HTTP', () => {
  it('records status, headers in order (names lower-cased, Set-Cookie kept apart), body and request headers', async () => {
    const seen: IncomingMessage['headers'][] = [];
    const port = await startHttp((req, res) => {
      seen.push(req.headers);
      res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; Secure']);
      res.setHeader('X-Powered-By', 'PHP/8.1.2');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<p>bonjour é</p>');
    });
    const obs = observedValue(
      await httpProbe({ host: '127.0.0.1', port }, { scheme: 'http', timeoutMs: TIMEOUT_MS }),
    );
    expect(obs.scheme).toBe('http');
    expect(obs.url).toBe(`http://127.0.0.1:${port}/`);
    expect(obs.chain).toHaveLength(1);
    const [page] = obs.chain;
    expect(page?.status).toBe(200);
    expect(page?.body).toBe('<p>bonjour é</p>');
    expect(page?.bodyTruncated).toBe(false);
    expect(page && headerValues(page, 'set-cookie')).toEqual(['a=1; Path=/', 'b=2; Secure']);
    expect(page && headerValue(page, 'x-powered-by')).toBe('PHP/8.1.2');
    expect(page?.headers.every(([n]) => n === n.toLowerCase())).toBe(true);
    // Plain HTTP: no security.txt nor CORS request.
    expect(obs.securityTxt).toBeUndefined();
    expect(obs.cors).toBeUndefined();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.['user-agent']).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^vigie\/\d+\.\d+\.\d+ \(\+security scanner\)$/);
    expect(seen[0]?.accept).toBe('text/html,*/*');
    expect(seen[0]?.host).toBe(`127.0.0.1:${port}`);
  });

  it('follows relative redirects on the same host', async () => {
    const port = await startHttp((req, res) => {
      if (req.url === '/') res.writeHead(301, { Location: '/a' }).end();
      else if (req.url === '/a') res.writeHead(302, { Location: 'b' }).end();
      else res.writeHead(200).end('page');
    });
    const obs = observedValue(
      await httpProbe({ host: '127.0.0.1', port }, { scheme: 'http', timeoutMs: TIMEOUT_MS }),
    );
    expect(obs.chain.map((r) => [new URL(r.url).pathname, r.status])).toEqual([
      ['/', 301],
      ['/a', 302],
      ['/b', 200],
    ]);
  });

  it('ends an endless redirect loop as a too-many-redirects error, with no hop taken for the page', async () => {
    let requests = 0;
    const port = await startHttp((req, res) => {
      requests++;
      res.writeHead(302, { Location: `/loop${requests}`, 'X-Frame-Options': 'DENY' }).end();
    });
    const started = Date.now();
    const outcome = await httpProbe(
      { host: '127.0.0.1', port },
      { scheme: 'http', timeoutMs: TIMEOUT_MS, maxRedirects: 3 },
    );
    expect(outcome).toMatchObject({ status: 'error', reason: 'too-many-redirects' });
    expect(outcome.status === 'error' && outcome.detail).toContain('plus de 3 redirections');
    expect(requests).toBe(4);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
  });

  it('follows a chain of exactly the limit, and fails one redirect longer', async () => {
    const cert = await issueLeaf({ commonName: HOST });
    // /r0 → /r1 → … → /rN → 200; the default limit is 5 redirects.
    const chainOf = (hops: number) =>
      startHttps(cert, (req, res) => {
        const n = Number(/^\/r(\d+)$/.exec(req.url ?? '')?.[1] ?? -1);
        if (req.url === '/') res.writeHead(302, { Location: '/r1' }).end();
        else if (n >= 1 && n < hops) res.writeHead(301, { Location: `/r${n + 1}` }).end();
        else if (n === hops)
          res.writeHead(200, { 'Content-Security-Policy': "default-src 'self'" }).end('page');
        else res.writeHead(404).end();
      });
    const five = await chainOf(5);
    const ok = observedValue(
      await httpProbe(
        { host: HOST, address: '127.0.0.1', port: five.port },
        { scheme: 'https', timeoutMs: TIMEOUT_MS },
      ),
    );
    expect(ok.chain.map((r) => r.status)).toEqual([302, 301, 301, 301, 301, 200]);
    const six = await chainOf(6);
    const outcome = await httpProbe(
      { host: HOST, address: '127.0.0.1', port: six.port },
      { scheme: 'https', timeoutMs: TIMEOUT_MS },
    );
    expect(outcome).toMatchObject({ status: 'error', reason: 'too-many-redirects' });
  });

  it('records a redirect that leaves the host without following it', async () => {
    let requests = 0;
    const port = await startHttp((_req, res) => {
      requests++;
      res.writeHead(302, { Location: 'https://ailleurs.vigie.test/accueil' }).end();
    });
    const obs = observedValue(
      await httpProbe({ host: '127.0.0.1', port }, { scheme: 'http', timeoutMs: TIMEOUT_MS }),
    );
    expect(obs.chain).toHaveLength(1);
    expect(obs.chain[0]?.status).toBe(302);
    expect(obs.chain[0] && headerValue(obs.chain[0], 'location')).toBe('https://ailleurs.vigie.test/accueil');
    expect(requests).toBe(1);
  });

  it('stops reading a 5 MB body at the limit, quickly', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const port = await startHttp((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      let sent = 0;
      const pump = (): void => {
        while (sent < 5 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const started = Date.now();
    const obs = observedValue(
      await httpProbe(
        { host: '127.0.0.1', port },
        { scheme: 'http', timeoutMs: TIMEOUT_MS, maxBodyBytes: 100_000 },
      ),
    );
    expect(Date.now() - started).toBeLessThan(HANG_BOUND_MS);
    expect(obs.chain[0]?.bodyTruncated).toBe(true);
    expect(obs.chain[0]?.body).toHaveLength(100_000);
  });

  it('ends with a timeout, within its bound, when the server never answers', async () => {
    const port = await listen(createNetServer(() => undefined));
    const started = Date.now();
    const outcome = await httpProbe({ host: '127.0.0.1', port }, { scheme: 'http', timeoutMs: 500 });
    expect(outcome).toMatchObject({ status: 'error', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(HANG_BOUND_MS);
  });

  it('keeps the head of a response whose body stalls, marked truncated, within the deadline', async () => {
    const port = await startHttp((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html', 'X-Frame-Options': 'DENY' });
      res.write('<html>début');
    });
    const started = Date.now();
    const obs = observedValue(
      await httpProbe({ host: '127.0.0.1', port }, { scheme: 'http', timeoutMs: 500 }),
    );
    expect(Date.now() - started).toBeLessThan(HANG_BOUND_MS);
    expect(obs.chain[0]).toMatchObject({ status: 200, body: '<html>début', bodyTruncated: true });
    expect(obs.chain[0] && headerValue(obs.chain[0], 'x-frame-options')).toBe('DENY');
  });

  it('keeps the first response of an HTTP endpoint when the HTTPS target it redirects to is down', async () => {
    const closed = createNetServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port: downPort } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const port = await startHttp((_req, res) => {
      res.writeHead(301, { Location: `https://${HOST}:${downPort}/` }).end();
    });
    const obs = observedValue(
      await httpProbe({ host: HOST, address: '127.0.0.1', port }, { scheme: 'http', timeoutMs: TIMEOUT_MS }),
    );
    expect(obs.chain.map((r) => r.status)).toEqual([301]);
  });

  it('reports a refused connection', async () => {
    const server = createNetServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const outcome = await httpProbe({ host: '127.0.0.1', port }, { scheme: 'http', timeoutMs: TIMEOUT_MS });
    expect(outcome).toMatchObject({ status: 'error', reason: 'refused' });
  });

  it('reports a server that answers garbage, or an oversized head, as a protocol error', async () => {
    const garbage = await listen(
      createNetServer((s) => {
        s.on('error', () => undefined);
        s.end('BONJOUR\r\n\r\n');
      }),
    );
    expect(
      await httpProbe({ host: '127.0.0.1', port: garbage }, { scheme: 'http', timeoutMs: TIMEOUT_MS }),
    ).toMatchObject({ status: 'error', reason: 'protocol-error' });
    const huge = await startHttp((_req, res) => {
      res.writeHead(200, { 'X-Long': 'x'.repeat(40 * 1024) }).end();
    });
    expect(
      await httpProbe({ host: '127.0.0.1', port: huge }, { scheme: 'http', timeoutMs: TIMEOUT_MS }),
    ).toMatchObject({
      status: 'error',
      reason: 'protocol-error',
    });
  });
});

describe('httpProbe over HTTPS', () => {
  let expiredSelfSigned: Issued;

  beforeAll(async () => {
    expiredSelfSigned = await issueLeaf({
      commonName: HOST,
      notBefore: new Date(Date.now() - 400 * DAY_MS),
      notAfter: new Date(Date.now() - 10 * DAY_MS),
    });
  });

  it('reads headers despite an expired self-signed certificate, pins the address, sends Host and SNI', async () => {
    const requests: { url: string | undefined; host: string | undefined; origin: string | undefined }[] = [];
    const { port, servernames } = await startHttps(expiredSelfSigned, (req, res) => {
      requests.push({ url: req.url, host: req.headers.host, origin: req.headers.origin });
      if (req.url === '/.well-known/security.txt') {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Contact: mailto:securite@exemple.fr\nExpires: 2030-01-01T00:00:00Z\n');
        return;
      }
      res.writeHead(200, {
        'Strict-Transport-Security': 'max-age=63072000',
        ...(req.headers.origin
          ? { 'Access-Control-Allow-Origin': req.headers.origin, 'Access-Control-Allow-Credentials': 'true' }
          : {}),
      });
      res.end('ok');
    });
    const obs = observedValue(
      await httpProbe({ host: HOST, address: '127.0.0.1', port }, { scheme: 'https', timeoutMs: TIMEOUT_MS }),
    );
    expect(obs.url).toBe(`https://${HOST}:${port}/`);
    expect(obs.chain[0]?.status).toBe(200);
    expect(obs.chain[0] && headerValue(obs.chain[0], 'strict-transport-security')).toBe('max-age=63072000');
    expect(obs.securityTxt?.status).toBe('observed');
    if (obs.securityTxt?.status === 'observed') {
      expect(obs.securityTxt.value.body).toContain('Contact: mailto:securite@exemple.fr');
    }
    expect(obs.cors?.status).toBe('observed');
    if (obs.cors?.status === 'observed') {
      expect(headerValue(obs.cors.value, 'access-control-allow-origin')).toBe(
        'https://vigie-cors-check.invalid',
      );
    }
    expect(requests.every((r) => r.host === `${HOST}:${port}`)).toBe(true);
    expect(requests.map((r) => r.url).sort()).toEqual(['/', '/', '/.well-known/security.txt']);
    expect(requests.filter((r) => r.origin === 'https://vigie-cors-check.invalid')).toHaveLength(1);
    expect(servernames.length).toBeGreaterThan(0);
    expect(servernames.every((n) => n === HOST)).toBe(true);
  });

  it('reads the <script> and <meta> elements of the page, not of the redirects, within the body limit', async () => {
    const page =
      '<!doctype html><html><head><META HTTP-EQUIV="Content-Security-Policy" CONTENT="default-src &apos;self&apos;">' +
      '<meta name="referrer" content="no-referrer">' +
      '<script src="https://cdn.example.net/lib.js" integrity="sha384-x" crossorigin="anonymous"></script>' +
      '<script>globalThis.vigieProbeRan = true;</script></head><body>' +
      '<script src="/late.js"></script>'.repeat(40) +
      '</body></html>';
    const { port } = await startHttps(expiredSelfSigned, (req, res) => {
      if (req.url === '/') {
        res.writeHead(302, { Location: '/accueil', 'Content-Type': 'text/html' });
        res.end('<script src="https://redirect.example.net/x.js"></script>');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
    });
    const obs = observedValue(
      await httpProbe(
        { host: HOST, address: '127.0.0.1', port },
        { scheme: 'https', timeoutMs: TIMEOUT_MS, maxBodyBytes: 1024 },
      ),
    );
    expect(obs.chain.map((r) => r.status)).toEqual([302, 200]);
    expect(obs.chain[0]?.html).toBeUndefined();
    const html = obs.chain[1]?.html;
    expect(html?.metas).toEqual([
      { httpEquiv: 'Content-Security-Policy', content: "default-src 'self'" },
      { name: 'referrer', content: 'no-referrer' },
    ]);
    expect(html?.scripts.slice(0, 3)).toEqual([
      { src: 'https://cdn.example.net/lib.js', integrity: 'sha384-x', crossorigin: 'anonymous' },
      {},
      { src: '/late.js' },
    ]);
    // The body stops at 1 KiB: the scripts beyond were not read, and the page says it was cut.
    expect(obs.chain[1]?.bodyTruncated).toBe(true);
    expect(html?.scripts.length).toBeLessThan(42);
    // Read, never run.
    expect((globalThis as { vigieProbeRan?: boolean }).vigieProbeRan).toBeUndefined();
  });

  it('follows an HTTP endpoint to HTTPS on the same host', async () => {
    const https = await startHttps(expiredSelfSigned, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('sécurisé');
    });
    const httpPort = await startHttp((_req, res) => {
      res.writeHead(301, { Location: `https://${HOST}:${https.port}/` }).end();
    });
    const obs = observedValue(
      await httpProbe(
        { host: HOST, address: '127.0.0.1', port: httpPort },
        { scheme: 'http', timeoutMs: TIMEOUT_MS },
      ),
    );
    expect(obs.chain.map((r) => [r.url, r.status])).toEqual([
      [`http://${HOST}:${httpPort}/`, 301],
      [`https://${HOST}:${https.port}/`, 200],
    ]);
    expect(obs.chain[1]?.body).toBe('sécurisé');
  });

  it('says protocol-error when plain HTTP is spoken to a TLS port, and when TLS is spoken to a plain port', async () => {
    const { port: tlsPort } = await startHttps(expiredSelfSigned, (_req, res) => res.end('ok'));
    const plain = await httpProbe(
      { host: '127.0.0.1', port: tlsPort },
      { scheme: 'http', timeoutMs: TIMEOUT_MS },
    );
    expect(plain).toMatchObject({ status: 'error', reason: 'protocol-error' });
    const httpPort = await startHttp((_req, res) => res.end('ok'));
    const tls = await httpProbe(
      { host: '127.0.0.1', port: httpPort },
      { scheme: 'https', timeoutMs: TIMEOUT_MS },
    );
    expect(tls).toMatchObject({ status: 'error', reason: 'protocol-error' });
  });

  it('reports a missing security.txt as the 404 it is, and bounds it to 32 KiB', async () => {
    const { port } = await startHttps(expiredSelfSigned, (req, res) => {
      if (req.url === '/.well-known/security.txt') res.writeHead(404).end('x'.repeat(100_000));
      else res.end('ok');
    });
    const obs = observedValue(
      await httpProbe({ host: '127.0.0.1', port }, { scheme: 'https', timeoutMs: TIMEOUT_MS }),
    );
    expect(obs.securityTxt).toMatchObject({
      status: 'observed',
      value: { status: 404, bodyTruncated: true },
    });
    if (obs.securityTxt?.status === 'observed') expect(obs.securityTxt.value.body).toHaveLength(32 * 1024);
  });
});

describe('httpGet', () => {
  it('makes one request with the given headers and follows no redirect', async () => {
    const seen: IncomingMessage[] = [];
    const port = await startHttp((req, res) => {
      seen.push(req);
      res.writeHead(302, { Location: '/ailleurs' }).end();
    });
    const outcome = await httpGet(
      { host: '127.0.0.1', port },
      { scheme: 'http', path: '/server-status', timeoutMs: TIMEOUT_MS, headers: { 'x-test': 'oui' } },
    );
    expect(outcome).toMatchObject({
      status: 'observed',
      value: { status: 302, url: `http://127.0.0.1:${port}/server-status` },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers['x-test']).toBe('oui');
  });

  it('never throws: a host name that cannot make a URL is an error outcome', async () => {
    const outcome = await httpGet(
      { host: 'nom invalide', port: 80 },
      { scheme: 'http', path: '/', timeoutMs: TIMEOUT_MS },
    );
    expect(outcome).toMatchObject({ status: 'error', reason: 'internal' });
  });
});
