import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadServiceCatalogue } from '../../../src/config/index.js';
import {
  startFakeService,
  type FakeServiceKind,
  type FakeServiceOptions,
} from '../../../src/demo/fake-services.js';
import type { ServiceEntry, ServiceObservation } from '../../../src/domain/index.js';
import { IDENTIFIABLE_SERVICES, serviceProbe, tcpExchange } from '../../../src/probes/services/index.js';
import { HANG_BOUND_MS } from '../../helpers/bounds.js';

const catalogue = loadServiceCatalogue(
  fileURLToPath(new URL('../../../checks/services.yaml', import.meta.url)),
);
const entry = (name: string): ServiceEntry => {
  const e = catalogue.services.get(name);
  if (e === undefined) throw new Error(`no catalogue entry ${name}`);
  return e;
};

const OPTS = { timeoutMs: 2000, connectTimeoutMs: 1000 };

async function fake(kind: FakeServiceKind, opts?: FakeServiceOptions) {
  const server = await startFakeService(kind, opts);
  onTestFinished(() => server.close());
  return server;
}

async function probeFake(
  kind: FakeServiceKind,
  entryName: string | undefined,
  opts?: FakeServiceOptions,
): Promise<ServiceObservation> {
  const server = await fake(kind, opts);
  return serviceProbe(
    { host: server.host, port: server.port },
    entryName === undefined ? undefined : entry(entryName),
    OPTS,
  );
}

/** A loopback port nobody listens on (bound once, then released). */
async function closedPort(kind: 'silent' | 'snmp' = 'silent'): Promise<number> {
  const server = await startFakeService(kind);
  await server.close();
  return server.port;
}

describe('serviceProbe: each safe probe against its fake service', () => {
  const cases: {
    kind: FakeServiceKind;
    entry: string;
    service: string;
    version?: string;
    unauthenticated?: RegExp;
    opts?: FakeServiceOptions;
  }[] = [
    { kind: 'ssh', entry: 'ssh', service: 'ssh', version: 'OpenSSH_9.2p1' },
    { kind: 'ftp', entry: 'ftp', service: 'ftp', version: 'ProFTPD 1.3.5' },
    { kind: 'ftp-bare', entry: 'ftp', service: 'ftp' },
    { kind: 'smtp', entry: 'smtp', service: 'smtp' },
    { kind: 'telnet', entry: 'telnet', service: 'telnet' },
    { kind: 'redis', entry: 'redis', service: 'redis', unauthenticated: /^PING → \+PONG$/ },
    { kind: 'mysql', entry: 'mysql', service: 'mysql', version: 'MySQL 8.0.33' },
    {
      kind: 'mysql',
      entry: 'mysql',
      service: 'mysql',
      version: 'MariaDB 10.6.12',
      opts: { version: '5.5.5-10.6.12-MariaDB-0ubuntu0.22.04.1' },
    },
    { kind: 'rdp', entry: 'rdp', service: 'rdp' },
    {
      kind: 'elasticsearch',
      entry: 'elasticsearch',
      service: 'elasticsearch',
      version: 'Elasticsearch 8.11.1',
      unauthenticated: /^GET \/ → HTTP 200 \(cluster_name: vigie-demo\)$/,
    },
    {
      kind: 'couchdb',
      entry: 'couchdb',
      service: 'couchdb',
      version: 'CouchDB 3.3.2',
      unauthenticated: /^GET \/_all_dbs → HTTP 200 \(3 database\(s\) listed\)$/,
    },
    {
      kind: 'docker',
      entry: 'docker',
      service: 'docker',
      version: 'Docker 24.0.7',
      unauthenticated: /^GET \/version → HTTP 200 \(API 1\.43\)$/,
    },
    { kind: 'etcd', entry: 'etcd', service: 'etcd', version: 'etcd 3.5.9' },
    {
      kind: 'kubelet',
      entry: 'kubelet',
      service: 'kubelet',
      unauthenticated: /^GET \/pods → HTTP 200 \(PodList\)$/,
    },
    { kind: 'mongodb', entry: 'mongodb', service: 'mongodb' },
    {
      kind: 'memcached',
      entry: 'memcached',
      service: 'memcached',
      version: 'memcached 1.6.21',
      unauthenticated: /^version → VERSION 1\.6\.21$/,
    },
    { kind: 'postgresql', entry: 'postgresql', service: 'postgresql' },
    { kind: 'smb', entry: 'smb', service: 'smb' },
    { kind: 'vnc', entry: 'vnc', service: 'vnc', unauthenticated: /security type None offered/ },
    { kind: 'ldap', entry: 'ldap', service: 'ldap', version: 'Vigie Demo Directory 2.0.14' },
    { kind: 'mssql', entry: 'mssql', service: 'mssql', version: 'Microsoft SQL Server 16.0.1000 (2022)' },
    { kind: 'oracle', entry: 'oracle', service: 'oracle', version: 'Oracle TNS listener 19.0.0.0.0' },
    { kind: 'rsync', entry: 'rsync', service: 'rsync' },
    { kind: 'snmp', entry: 'snmp', service: 'snmp' },
    { kind: 'ipmi', entry: 'ipmi', service: 'ipmi' },
  ];

  it.each(cases)(
    '$kind ($entry probe) → $service $version',
    async ({ kind, entry: name, service, version, unauthenticated, opts }) => {
      const obs = await probeFake(kind, name, opts);
      expect(obs).toMatchObject({ state: 'open', service, transport: entry(name).transport });
      expect(obs.version).toBe(version);
      if (unauthenticated === undefined) expect(obs.unauthenticated).toBeUndefined();
      else expect(obs.unauthenticated).toMatch(unauthenticated);
      if (obs.banner !== undefined) expect(obs.banner.length).toBeLessThanOrEqual(200);
    },
  );

  it('reports what identified the service', async () => {
    expect((await probeFake('ssh', 'ssh')).banner).toBe('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3');
    expect((await probeFake('ftp-bare', 'ftp')).detail).toBe('SYST → 215');
    expect((await probeFake('telnet', 'telnet')).banner).toMatch(
      /Debian GNU\/Linux 12 \(Vigie Demo\) login:/,
    );
    expect((await probeFake('rdp', 'rdp')).detail).toBe('selected protocol: TLS');
    expect((await probeFake('rdp', 'rdp', { authenticated: true })).detail).toBe(
      'selected protocol: CredSSP (NLA)',
    );
    expect((await probeFake('smb', 'smb', { authenticated: true })).detail).toBe('SMB 2.x, signing required');
    expect((await probeFake('postgresql', 'postgresql')).detail).toBe('SSLRequest → N (no TLS)');
    expect((await probeFake('mongodb', 'mongodb')).detail).toBe(
      'hello answered: primary, wire version 17 (MongoDB ≥ 6.0)',
    );
    expect((await probeFake('ldap', 'ldap')).detail).toBe('root DSE readable: dc=demo,dc=vigie,dc=test');
    expect((await probeFake('snmp', 'snmp')).detail).toMatch(
      /^SNMPv3 engine ID 80001f8880[0-9a-f]{16}, enterprise 8072 \(net-snmp\), 3 boot\(s\)$/,
    );
    expect((await probeFake('vnc', 'vnc')).detail).toBe('security types: None, VNC Authentication');
  });
});

describe('serviceProbe: no unauthenticated proof when the service demands authentication', () => {
  it.each([
    ['redis', 'redis', 'redis'],
    ['memcached', 'memcached', 'memcached'],
    ['elasticsearch', 'elasticsearch', 'elasticsearch'],
    ['couchdb', 'couchdb', 'couchdb'],
    ['vnc', 'vnc', 'vnc'],
    ['kubelet', 'kubelet', 'kubelet'],
  ] as const)('%s (authenticated) is named %s without proof', async (kind, name, service) => {
    const obs = await probeFake(kind, name, { authenticated: true });
    expect(obs).toMatchObject({ state: 'open', service });
    expect(obs.unauthenticated).toBeUndefined();
  });

  it('keeps what the protected service said', async () => {
    const redis = await probeFake('redis', 'redis', { authenticated: true });
    expect(redis.banner).toBe('-NOAUTH Authentication required.');
    const couch = await probeFake('couchdb', 'couchdb', { authenticated: true });
    expect(couch.detail).toBe('GET / → HTTP 200; GET /_all_dbs → HTTP 401');
  });

  it('a Docker API behind mutual TLS stays unnamed: nothing it said identifies it', async () => {
    const obs = await probeFake('docker', 'docker', { authenticated: true });
    expect(obs.state).toBe('open');
    expect(obs.service).toBeUndefined();
    expect(obs.unauthenticated).toBeUndefined();
    expect(obs.detail).toMatch(/TLS/);
  });
});

describe('serviceProbe: port states and hostile peers', () => {
  it('refused → closed', async () => {
    const port = await closedPort();
    const obs = await serviceProbe({ host: '127.0.0.1', port }, entry('redis'), OPTS);
    expect(obs).toMatchObject({ port, transport: 'tcp', state: 'closed' });
    expect(obs.service).toBeUndefined();
  });

  it('UDP with ICMP port unreachable → closed', async () => {
    const port = await closedPort('snmp');
    const obs = await serviceProbe({ host: '127.0.0.1', port }, entry('snmp'), OPTS);
    expect(obs).toMatchObject({ port, transport: 'udp', state: 'closed' });
  });

  it('a silent port is open and unidentified, within the timeout', async () => {
    const server = await fake('silent');
    for (const name of ['redis', 'ssh', 'elasticsearch', undefined]) {
      const started = Date.now();
      const obs = await serviceProbe(
        { host: server.host, port: server.port },
        name === undefined ? undefined : entry(name),
        { timeoutMs: 300, connectTimeoutMs: 300 },
      );
      expect(Date.now() - started).toBeLessThan(HANG_BOUND_MS);
      expect(obs.state).toBe('open');
      expect(obs.service).toBeUndefined();
      expect(obs.banner).toBeUndefined();
      expect(obs.detail).toMatch(/no data within 300 ms/);
    }
  });

  it('a flooding port is cut off at the byte budget, without crashing', async () => {
    const started = Date.now();
    const obs = await probeFake('flood', 'redis');
    expect(Date.now() - started).toBeLessThan(HANG_BOUND_MS);
    expect(obs.state).toBe('open');
    expect(obs.service).toBeUndefined();
    expect(obs.banner?.length).toBeLessThanOrEqual(200);
    expect(obs.detail).toMatch(/budget reached/);
  });

  it('every TCP probe survives a flood: bounded, unidentified, no crash', async () => {
    const flood = await fake('flood');
    for (const e of catalogue.services.values()) {
      if (e.transport !== 'tcp') continue;
      const started = Date.now();
      const obs = await serviceProbe({ host: flood.host, port: flood.port }, e, {
        timeoutMs: 500,
        connectTimeoutMs: 500,
      });
      expect(Date.now() - started, e.name).toBeLessThan(HANG_BOUND_MS);
      expect(obs, e.name).toMatchObject({ state: 'open' });
      expect(obs.service, e.name).toBeUndefined();
    }
  });

  it('names the protocol spoken, not the one expected on the port', async () => {
    for (const name of ['redis', 'postgresql', 'elasticsearch', 'mysql', 'vnc', 'mssql', 'smb', undefined]) {
      const obs = await probeFake('ssh', name);
      expect(obs.service, `ssh fake probed as ${name ?? 'banner'}`).toBe('ssh');
      expect(obs.version).toBe('OpenSSH_9.2p1');
    }
    expect((await probeFake('ftp', 'ssh')).service).toBe('ftp');
    expect((await probeFake('mysql', 'redis')).service).toBe('mysql');
    // An HTTP API on a port expected to speak Redis is still recognised.
    const es = await probeFake('elasticsearch', 'redis');
    expect(es).toMatchObject({ service: 'elasticsearch', version: 'Elasticsearch 8.11.1' });
  });

  it('never guesses a name from the port: a client-first service stays unnamed without its probe', async () => {
    const obs = await probeFake('redis', undefined, {});
    expect(obs.state).toBe('open');
    expect(obs.service).toBeUndefined();
    // Asked in memcached's words, Redis answers in its own: named redis, without any proof.
    const wrongProbe = await probeFake('redis', 'memcached');
    expect(wrongProbe).toMatchObject({ service: 'redis', banner: "-ERR unknown command 'version'" });
    expect(wrongProbe.unauthenticated).toBeUndefined();
  });

  it('reports an unrecognised HTTP answer with its status line', async () => {
    const obs = await probeFake('docker', 'elasticsearch');
    // Docker's 404 on / names it by its Server header; its own path then gives version and proof.
    expect(obs).toMatchObject({ service: 'docker', version: 'Docker 24.0.7' });
    const etcdOnRedis = await probeFake('etcd', 'redis');
    expect(etcdOnRedis.state).toBe('open');
  });
});

describe('tcpExchange', () => {
  it('sends the bytes and keeps the answer', async () => {
    const server = await fake('redis');
    const o = await tcpExchange(
      { host: server.host, port: server.port },
      { send: Buffer.from('PING\r\n'), timeoutMs: 1000 },
    );
    expect(o.status).toBe('observed');
    if (o.status === 'observed') expect(o.value.received.toString()).toBe('+PONG\r\n');
  });

  it('reads a banner without sending, bounded by maxBytes', async () => {
    const ssh = await fake('ssh');
    const o = await tcpExchange({ host: ssh.host, port: ssh.port }, { timeoutMs: 1000 });
    expect(o.status === 'observed' && o.value.received.toString()).toMatch(/^SSH-2\.0-OpenSSH_9\.2p1/);
    const flood = await fake('flood');
    const f = await tcpExchange({ host: flood.host, port: flood.port }, { timeoutMs: 1000, maxBytes: 1000 });
    expect(f.status === 'observed' && f.value.received.length).toBe(1000);
  });

  it('observes silence as an empty answer, and a refused port as an error', async () => {
    const silent = await fake('silent');
    const o = await tcpExchange({ host: silent.host, port: silent.port }, { timeoutMs: 200 });
    expect(o.status === 'observed' && o.value.received.length).toBe(0);
    const port = await closedPort();
    expect(await tcpExchange({ host: '127.0.0.1', port }, { timeoutMs: 500 })).toMatchObject({
      status: 'error',
      reason: 'refused',
    });
  });
});

describe('catalogue agreement', () => {
  it('every service a probe can name is an entry of services.yaml', () => {
    for (const name of IDENTIFIABLE_SERVICES) expect(catalogue.services.has(name), name).toBe(true);
  });
});
