import net from 'node:net';
import tls from 'node:tls';

export interface DemoSmtpOptions {
  host: string;
  /** Preferred port; any free port when it is taken or absent. */
  port?: number;
  /** Name in the greeting and the EHLO reply. */
  name: string;
  /** Offer STARTTLS with this key and certificate chain (PEM); absent: mail only in clear text. */
  tls?: { key: string; cert: string; ciphers?: string };
}

export interface DemoSmtpServer {
  port: number;
  close(): Promise<void>;
}

const MAX_LINE = 1000;

/**
 * A receiving mail server for the demo estate, enough for what vigie asks an MX: greeting, EHLO,
 * STARTTLS (when configured), QUIT. It accepts no mail (every other command is refused).
 */
export async function startDemoSmtpServer(opts: DemoSmtpOptions): Promise<DemoSmtpServer> {
  const sockets = new Set<net.Socket>();
  const ehlo = (secure: boolean) =>
    opts.tls && !secure
      ? `250-${opts.name}\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250 8BITMIME\r\n`
      : `250-${opts.name}\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n`;

  const converse = (socket: net.Socket, secure: boolean): void => {
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('latin1');
      if (buffered.length > MAX_LINE * 4) return void socket.destroy();
      let end: number;
      while ((end = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, end).replace(/\r$/, '');
        buffered = buffered.slice(end + 1);
        const verb = line.split(' ')[0]?.toUpperCase() ?? '';
        if (verb === 'EHLO') socket.write(ehlo(secure));
        else if (verb === 'HELO') socket.write(`250 ${opts.name}\r\n`);
        else if (verb === 'QUIT') return void socket.end(`221 2.0.0 Bye\r\n`);
        else if (verb === 'STARTTLS' && opts.tls && !secure) {
          socket.off('data', onData);
          socket.write('220 2.0.0 Ready to start TLS\r\n');
          const upgraded = new tls.TLSSocket(socket, {
            isServer: true,
            key: opts.tls.key,
            cert: opts.tls.cert,
            minVersion: 'TLSv1.2',
            ...(opts.tls.ciphers === undefined ? {} : { ciphers: opts.tls.ciphers }),
          });
          upgraded.on('error', () => socket.destroy());
          converse(upgraded, true);
          return;
        } else socket.write('502 5.5.2 Error: command not recognized\r\n');
      }
    };
    socket.on('data', onData);
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.setTimeout(10_000, () => socket.destroy());
    socket.write(`220 ${opts.name} ESMTP Postfix (Debian/GNU)\r\n`);
    converse(socket, false);
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, opts.host, () => {
        server.off('error', reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  const port = await listen(opts.port ?? 0).catch(() => listen(0));
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
