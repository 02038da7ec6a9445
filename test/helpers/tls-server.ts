import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { pemChain, type Issued } from '../../src/demo/index.js';

export interface LoopbackServer {
  host: string;
  port: number;
  /** `127.0.0.1:port`, for ad-hoc targets. */
  target: string;
  close(): Promise<void>;
}

/** A real TLS server (node:tls) on 127.0.0.1, port 0, serving a generated certificate and chain. */
export async function startTlsServer(opts: {
  cert: Issued;
  chain?: readonly Issued[];
  options?: tls.TlsOptions;
}): Promise<LoopbackServer> {
  const server = tls.createServer(
    {
      key: opts.cert.keyPem,
      cert: pemChain(opts.cert, ...(opts.chain ?? [])),
      ciphers:
        'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:@SECLEVEL=0',
      minVersion: 'TLSv1.2',
      ...opts.options,
    },
    (socket) => socket.end(),
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    target: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
