import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { integer, octets, tlv } from '../probes/services/ber.js';
import { tdsPreloginPacket, TABULAR_RESULT } from '../probes/services/mssql-prelogin.js';
import { IDENTIFIABLE_SERVICES } from '../probes/services/probe-registry.js';
import { readChildren, readTlv } from '../probes/tls/der.js';
import { issueLeaf } from './pki.js';

/**
 * Loopback fakes of the services the service probe recognises (every service of
 * checks/services.yaml, as the probes name them): each speaks just enough of its protocol
 * (greeting, answer to the probe's request) for the tests and the demo estate. Plus an FTP server
 * that names no product, a silent port, and one that floods whoever connects.
 */
export const FAKE_SERVICE_KINDS = [...IDENTIFIABLE_SERVICES, 'ftp-bare', 'silent', 'flood'] as const;
export type FakeServiceKind = (typeof FAKE_SERVICE_KINDS)[number];

export interface FakeServiceOptions {
  /** Loopback address to listen on; default 127.0.0.1. */
  host?: string;
  /** Port to listen on; default a free one. */
  port?: number;
  /** The service demands authentication (Redis -NOAUTH, memcached ASCII auth, Elasticsearch 401 …). */
  authenticated?: boolean;
  /** Version the service announces. */
  version?: string;
}

export interface FakeService {
  host: string;
  port: number;
  transport: 'tcp' | 'udp';
  close(): Promise<void>;
}

const DEFAULT_VERSIONS: Partial<Record<FakeServiceKind, string>> = {
  ssh: 'OpenSSH_9.2p1',
  ftp: '1.3.5',
  mysql: '8.0.33',
  elasticsearch: '8.11.1',
  couchdb: '3.3.2',
  docker: '24.0.7',
  etcd: '3.5.9',
  memcached: '1.6.21',
  mssql: '16.0.1000',
};

type Handler = (
  socket: net.Socket,
  opts: Required<Pick<FakeServiceOptions, 'authenticated'>> & { version: string },
) => void;

/** Calls `onData` with everything received so far (bounded), until it returns true. */
function accumulate(socket: net.Socket, onData: (received: Buffer) => boolean | void): void {
  let received = Buffer.alloc(0);
  const listener = (chunk: Buffer): void => {
    received = Buffer.concat([received, chunk]).subarray(0, 64 * 1024);
    try {
      if (onData(received) === true) socket.off('data', listener);
    } catch {
      // A client that does not speak the protocol: hang up rather than crash the demo.
      socket.destroy();
    }
  };
  socket.on('data', listener);
}

/**
 * A line-oriented server (FTP, SMTP): sends its greeting, then answers the first command line with
 * `match` when it starts with `command`, or `otherwise`.
 */
function greetThenAnswer(
  socket: net.Socket,
  greeting: string,
  reply: { command: RegExp; match: string; otherwise: string },
): void {
  socket.write(greeting);
  accumulate(socket, (b) => {
    if (!b.includes('\n')) return;
    socket.write(reply.command.test(b.toString('latin1')) ? reply.match : reply.otherwise);
    return true;
  });
}

const FTP_REPLY = {
  command: /^SYST/i,
  match: '215 UNIX Type: L8\r\n',
  otherwise: '530 Please login with USER and PASS\r\n',
};

function mysqlGreeting(version: string): Buffer {
  const payload = Buffer.concat([
    Buffer.from([0x0a]),
    Buffer.from(`${version}\0`, 'latin1'),
    Buffer.from([0x2a, 0, 0, 0]), // connection id
    randomBytes(8).map((b) => (b % 94) + 33), // auth-plugin-data part 1
    Buffer.from([0x00]), // filler
    Buffer.from([0xff, 0xf7, 0xff, 0x02, 0x00, 0xff, 0xc1, 0x15]), // capabilities, charset, status
    Buffer.alloc(10), // reserved
    randomBytes(12).map((b) => (b % 94) + 33),
    Buffer.from([0x00]),
    Buffer.from('caching_sha2_password\0', 'latin1'),
  ]);
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = 0;
  return Buffer.concat([header, payload]);
}

/** A BSON document of int32, double and boolean fields. */
function bson(fields: [string, number | boolean, 'int' | 'double' | 'bool'][]): Buffer {
  const parts = fields.map(([name, value, type]) => {
    const key = Buffer.from(`${name}\0`, 'utf8');
    if (type === 'bool') return Buffer.concat([Buffer.from([0x08]), key, Buffer.from([value ? 1 : 0])]);
    const v = Buffer.alloc(type === 'int' ? 4 : 8);
    if (type === 'int') v.writeInt32LE(Number(value));
    else v.writeDoubleLE(Number(value));
    return Buffer.concat([Buffer.from([type === 'int' ? 0x10 : 0x01]), key, v]);
  });
  const body = Buffer.concat([...parts, Buffer.from([0x00])]);
  const length = Buffer.alloc(4);
  length.writeInt32LE(body.length + 4);
  return Buffer.concat([length, body]);
}

function mongoReply(requestId: number): Buffer {
  const doc = bson([
    ['ismaster', true, 'bool'],
    ['maxBsonObjectSize', 16777216, 'int'],
    ['maxWireVersion', 17, 'int'],
    ['minWireVersion', 0, 'int'],
    ['ok', 1, 'double'],
  ]);
  const reply = Buffer.alloc(36);
  reply.writeInt32LE(36 + doc.length, 0);
  reply.writeInt32LE(0x1234, 4);
  reply.writeInt32LE(requestId, 8);
  reply.writeInt32LE(1, 12); // OP_REPLY
  reply.writeInt32LE(1, 32); // numberReturned
  return Buffer.concat([reply, doc]);
}

function smb2NegotiateResponse(signingRequired: boolean): Buffer {
  const header = Buffer.alloc(64);
  header.write('\xfeSMB', 0, 'latin1');
  header.writeUInt16LE(64, 4);
  header.writeUInt16LE(1, 14); // credits granted
  header.writeUInt32LE(0x01, 16); // server to redirector
  const body = Buffer.alloc(65);
  body.writeUInt16LE(65, 0);
  body.writeUInt16LE(signingRequired ? 0x03 : 0x01, 2);
  body.writeUInt16LE(0x02ff, 4); // wildcard: SMB 2.x, negotiate again
  randomBytes(16).copy(body, 8);
  body.writeUInt16LE(128, 56); // security buffer offset
  const smb = Buffer.concat([header, body]);
  const transport = Buffer.alloc(4);
  transport.writeUInt32BE(smb.length);
  return Buffer.concat([transport, smb]);
}

function preloginResponse(version: string): Buffer {
  const [major = 16, minor = 0, build = 1000] = version.split('.').map(Number);
  const versionData = Buffer.alloc(6);
  versionData[0] = major;
  versionData[1] = minor;
  versionData.writeUInt16BE(build, 2);
  return tdsPreloginPacket(TABULAR_RESULT, 0x01, [
    [0x00, versionData],
    [0x01, Buffer.from([0x02])],
    [0x02, Buffer.from([0x00])],
    [0x03, Buffer.alloc(0)],
    [0x04, Buffer.from([0x00])],
  ]);
}

function tnsRefuse(): Buffer {
  const data = Buffer.from(
    '(DESCRIPTION=(TMP=)(VSNNUM=318767104)(ERR=1189)(ERROR_STACK=(ERROR=(CODE=1189)(EMFI=4))))',
    'latin1',
  );
  const p = Buffer.alloc(12 + data.length);
  p.writeUInt16BE(p.length, 0);
  p[4] = 0x04; // REFUSE
  p[8] = 0x22; // user reason
  p.writeUInt16BE(data.length, 10);
  data.copy(p, 12);
  return p;
}

function ldapAnswer(messageId: number, vendorVersion: string): Buffer {
  const attribute = (name: string, ...values: string[]): Buffer =>
    tlv(0x30, octets(name), tlv(0x31, ...values.map((v) => octets(v))));
  const entry = tlv(
    0x64,
    octets(''),
    tlv(
      0x30,
      attribute('namingContexts', 'dc=demo,dc=vigie,dc=test'),
      attribute('supportedLDAPVersion', '3'),
      attribute('vendorName', 'Vigie Demo Directory'),
      attribute('vendorVersion', vendorVersion),
    ),
  );
  const done = tlv(0x65, integer(0, 0x0a), octets(''), octets(''));
  return Buffer.concat([tlv(0x30, integer(messageId), entry), tlv(0x30, integer(messageId), done)]);
}

const TCP_HANDLERS: Record<
  Exclude<FakeServiceKind, 'snmp' | 'ipmi' | 'elasticsearch' | 'couchdb' | 'docker' | 'etcd' | 'kubelet'>,
  Handler
> = {
  ssh(socket, { version }) {
    socket.write(`SSH-2.0-${version} Debian-2+deb12u3\r\n`);
    accumulate(socket, () => {
      socket.end('Invalid SSH identification string.\r\n');
      return true;
    });
  },
  ftp(socket, { version }) {
    greetThenAnswer(socket, `220 ProFTPD ${version} Server (Vigie Demo) [127.0.0.1]\r\n`, FTP_REPLY);
  },
  'ftp-bare'(socket) {
    greetThenAnswer(socket, '220 Bienvenue sur le serveur de fichiers\r\n', FTP_REPLY);
  },
  smtp(socket) {
    greetThenAnswer(socket, '220 mail.demo.vigie.test ESMTP Postfix (Debian/GNU)\r\n', {
      command: /^EHLO/i,
      match: '250-mail.demo.vigie.test\r\n250 STARTTLS\r\n',
      otherwise: '502 5.5.2 Error: command not recognized\r\n',
    });
  },
  telnet(socket) {
    // IAC DO TERMINAL-TYPE, IAC WILL ECHO, IAC WILL SUPPRESS-GO-AHEAD, IAC DO NAWS
    socket.write(Buffer.from([255, 253, 24, 255, 251, 1, 255, 251, 3, 255, 253, 31]));
    accumulate(socket, () => {
      socket.write('\r\nDebian GNU/Linux 12 (Vigie Demo)\r\nlogin: ');
      return true;
    });
  },
  redis(socket, { authenticated }) {
    accumulate(socket, (b) => {
      const text = b.toString('latin1');
      if (!text.includes('\r\n')) return;
      if (authenticated) socket.write('-NOAUTH Authentication required.\r\n');
      else {
        const command = /^\S+/.exec(text)?.[0] ?? '';
        socket.write(/^PING$/i.test(command) ? '+PONG\r\n' : `-ERR unknown command '${command}'\r\n`);
      }
      return true;
    });
  },
  mysql(socket, { version }) {
    socket.write(mysqlGreeting(version));
    accumulate(socket, () => {
      socket.end();
      return true;
    });
  },
  rdp(socket, { authenticated }) {
    accumulate(socket, (b) => {
      if (b.length < 4 || b.length < b.readUInt16BE(2)) return;
      const confirm = Buffer.from([
        0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00, 0x02, 0x00, 0x08, 0x00, 0, 0, 0, 0,
      ]);
      confirm.writeUInt32LE(authenticated ? 2 : 1, 15);
      socket.write(confirm);
      return true;
    });
  },
  mongodb(socket) {
    accumulate(socket, (b) => {
      if (b.length < 16 || b.length < b.readInt32LE(0)) return;
      socket.write(mongoReply(b.readInt32LE(4)));
      return true;
    });
  },
  memcached(socket, { authenticated, version }) {
    accumulate(socket, (b) => {
      if (!b.includes('\r\n')) return;
      socket.write(authenticated ? 'CLIENT_ERROR unauthenticated\r\n' : `VERSION ${version}\r\n`);
      return true;
    });
  },
  postgresql(socket) {
    accumulate(socket, (b) => {
      if (b.length < 8) return;
      if (b.readUInt32BE(4) === 80877103) socket.write('N');
      else socket.end();
      return true;
    });
  },
  smb(socket, { authenticated }) {
    accumulate(socket, (b) => {
      if (b.length < 4 || b.length < 4 + b.readUIntBE(1, 3)) return;
      socket.write(smb2NegotiateResponse(authenticated));
      return true;
    });
  },
  vnc(socket, { authenticated }) {
    socket.write('RFB 003.008\n');
    accumulate(socket, (b) => {
      if (b.length < 12) return;
      socket.write(Buffer.from(authenticated ? [1, 2] : [2, 1, 2]));
      return true;
    });
  },
  ldap(socket, { version }) {
    accumulate(socket, (b) => {
      const message = readTlv(b, 0);
      if (message === undefined) return;
      const [id] = readChildren(b, message, 4) ?? [];
      socket.write(ldapAnswer(id === undefined ? 1 : (b[id.start] ?? 1), version || '2.0.14'));
      return true;
    });
  },
  mssql(socket, { version }) {
    accumulate(socket, (b) => {
      if (b.length < 8 || b.length < b.readUInt16BE(2)) return;
      socket.write(preloginResponse(version));
      return true;
    });
  },
  oracle(socket) {
    accumulate(socket, (b) => {
      if (b.length < 8 || b.length < b.readUInt16BE(0)) return;
      socket.end(tnsRefuse());
      return true;
    });
  },
  rsync(socket) {
    socket.write('@RSYNCD: 31.0 sha512 sha256 sha1 md5 md4\n');
    accumulate(socket, () => {
      socket.end('@ERROR: protocol startup error\n');
      return true;
    });
  },
  silent() {
    // Accepts and says nothing.
  },
  flood(socket) {
    const chunk = Buffer.alloc(64 * 1024, 'A');
    let sent = 0;
    const pump = (): void => {
      while (!socket.destroyed && sent < 64 * 1024 * 1024) {
        sent += chunk.length;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
  },
};

type HttpKind = 'elasticsearch' | 'couchdb' | 'docker' | 'etcd' | 'kubelet';

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function httpHandler(kind: HttpKind, authenticated: boolean, version: string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = req.url ?? '/';
    switch (kind) {
      case 'elasticsearch':
        if (authenticated)
          return json(
            res,
            401,
            {
              error: {
                root_cause: [{ type: 'security_exception', reason: 'missing authentication credentials' }],
              },
              status: 401,
            },
            { 'www-authenticate': 'Basic realm="security" charset="UTF-8"' },
          );
        return json(
          res,
          200,
          {
            name: 'demo-node-1',
            cluster_name: 'vigie-demo',
            version: { number: version, build_flavor: 'default', lucene_version: '9.8.0' },
            tagline: 'You Know, for Search',
          },
          { 'x-elastic-product': 'Elasticsearch' },
        );
      case 'couchdb': {
        const server = { server: `CouchDB/${version} (Erlang OTP/24)` };
        if (path === '/')
          return json(
            res,
            200,
            { couchdb: 'Welcome', version, vendor: { name: 'The Apache Software Foundation' } },
            server,
          );
        if (path === '/_all_dbs')
          return authenticated
            ? json(res, 401, { error: 'unauthorized', reason: 'You are not a server admin.' }, server)
            : json(res, 200, ['_replicator', '_users', 'etat-civil'], server);
        return json(res, 404, { error: 'not_found', reason: 'Database does not exist.' }, server);
      }
      case 'docker': {
        const headers = { server: `Docker/${version} (linux)`, 'api-version': '1.43' };
        if (path === '/version')
          return json(
            res,
            200,
            { Version: version, ApiVersion: '1.43', MinAPIVersion: '1.12', Os: 'linux', Arch: 'amd64' },
            headers,
          );
        return json(res, 404, { message: 'page not found' }, headers);
      }
      case 'etcd':
        if (path === '/version') return json(res, 200, { etcdserver: version, etcdcluster: '3.5.0' });
        return json(res, 404, '404 page not found\n');
      case 'kubelet':
        if (path !== '/pods') return json(res, 404, '404 page not found\n');
        if (authenticated)
          return json(
            res,
            403,
            'Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource=proxy)',
          );
        return json(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [] });
    }
  };
}

async function listenTcp(server: net.Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as net.AddressInfo).port;
}

/** Tracks connections so `close()` never waits for a client that keeps one open. */
function closer(server: net.Server): () => Promise<void> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function snmpReport(request: Buffer): Buffer | undefined {
  const message = readTlv(request, 0);
  if (message?.tag !== 0x30) return undefined;
  const [version, global] = readChildren(request, message, 8) ?? [];
  if (version === undefined || request[version.start] !== 3 || global === undefined) return undefined;
  const [msgId] = readChildren(request, global, 8) ?? [];
  const id =
    msgId === undefined
      ? 1
      : request.subarray(msgId.start, msgId.end).readUIntBE(0, Math.min(6, msgId.end - msgId.start));
  const engineId = Buffer.concat([Buffer.from([0x80, 0x00, 0x1f, 0x88, 0x80]), randomBytes(8)]);
  const usm = tlv(0x30, octets(engineId), integer(3), integer(1234), octets(''), octets(''), octets(''));
  const oid = Buffer.from([0x2b, 6, 1, 6, 3, 15, 1, 1, 4, 0]); // usmStatsUnknownEngineIDs.0
  const varbind = tlv(0x30, tlv(0x30, tlv(0x06, oid), tlv(0x41, Buffer.from([1]))));
  const report = tlv(0xa8, integer(id), integer(0), integer(0), varbind);
  return tlv(
    0x30,
    integer(3),
    tlv(0x30, integer(id), integer(65507), octets(Buffer.from([0x00])), integer(3)),
    octets(usm),
    tlv(0x30, octets(engineId), octets(''), report),
  );
}

function rmcpPong(ping: Buffer): Buffer | undefined {
  if (ping.length < 12 || ping[0] !== 0x06 || ping[8] !== 0x80) return undefined;
  const pong = Buffer.alloc(28);
  pong.set([0x06, 0x00, 0xff, 0x06], 0);
  pong.writeUInt32BE(0x11be, 4);
  pong[8] = 0x40;
  pong[9] = ping[9] ?? 0;
  pong[11] = 16;
  pong.writeUInt32BE(0x11be, 12);
  pong[20] = 0x81; // IPMI supported, ASF 1.0
  return pong;
}

async function startUdp(kind: 'snmp' | 'ipmi', host: string, port: number): Promise<FakeService> {
  const socket = createSocket(net.isIP(host) === 6 ? 'udp6' : 'udp4');
  socket.on('message', (msg, rinfo) => {
    let answer: Buffer | undefined;
    try {
      answer = kind === 'snmp' ? snmpReport(msg) : rmcpPong(msg);
    } catch {
      answer = undefined; // not the protocol: no answer, as a real agent would do
    }
    if (answer !== undefined) socket.send(answer, rinfo.port, rinfo.address);
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return {
    host,
    port: socket.address().port,
    transport: 'udp',
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** Starts a fake `kind` service on loopback; `close()` ends it and every connection. */
export async function startFakeService(
  kind: FakeServiceKind,
  opts: FakeServiceOptions = {},
): Promise<FakeService> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  const authenticated = opts.authenticated ?? false;
  const version = opts.version ?? DEFAULT_VERSIONS[kind] ?? '';
  if (kind === 'snmp' || kind === 'ipmi') return startUdp(kind, host, port);
  let server: net.Server;
  if (kind === 'kubelet' || (kind === 'docker' && authenticated)) {
    const leaf = await issueLeaf({ commonName: host, key: { type: 'ec', curve: 'P-256' } });
    const options: tls.TlsOptions = { key: leaf.keyPem, cert: leaf.certPem };
    // A protected Docker daemon demands a client certificate (--tlsverify): the probe has none.
    if (kind === 'docker') Object.assign(options, { requestCert: true, rejectUnauthorized: true });
    server = createHttpsServer(options, httpHandler(kind, authenticated, version));
    server.on('tlsClientError', () => undefined);
  } else if (kind === 'elasticsearch' || kind === 'couchdb' || kind === 'docker' || kind === 'etcd') {
    server = createHttpServer(httpHandler(kind, authenticated, version));
  } else {
    const handler = TCP_HANDLERS[kind];
    server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      handler(socket, { authenticated, version });
    });
  }
  const close = closer(server);
  const bound = await listenTcp(server, host, port);
  return { host, port: bound, transport: 'tcp', close };
}
