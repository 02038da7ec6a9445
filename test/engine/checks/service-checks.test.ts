import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCatalogueFile, loadServiceCatalogue, templateParams } from '../../../src/config/index.js';
import { serviceCheckMetas, type ServiceEntry, type ServiceObservation } from '../../../src/domain/index.js';
import { SERVICE_CHECK_IDS, evaluateService } from '../../../src/engine/checks/service-checks.js';

/** The services whose safe probe proves open access: each record carries its access check. */
const UNAUTHENTICATED_SERVICES = [
  'redis',
  'memcached',
  'elasticsearch',
  'docker',
  'couchdb',
  'kubelet',
  'vnc',
];

const checksDir = (file: string) => fileURLToPath(new URL(`../../../checks/${file}`, import.meta.url));
const catalogue = loadServiceCatalogue(checksDir('services.yaml'));
const entry = (name: string): ServiceEntry => catalogue.services.get(name)!;

const open = (over: Partial<ServiceObservation> = {}): ServiceObservation => ({
  port: 6379,
  transport: 'tcp',
  state: 'open',
  ...over,
});

describe('evaluateService', () => {
  it('passes the port’s exposure (and access) checks when it is closed or filtered', () => {
    for (const state of ['closed', 'filtered'] as const) {
      const r = evaluateService(open({ state }), { expose: [], entry: entry('redis') });
      expect(r.findings).toEqual([]);
      expect(r.checks).toEqual({
        'service.exposed.redis': 'pass',
        'service.redis.unauthenticated': 'pass',
        'service.open.unknown': 'pass',
        'service.banner.version': 'pass',
      });
    }
  });

  it('raises service.exposed.<name> for an identified, undeclared service', () => {
    const r = evaluateService(open({ service: 'redis', banner: '-NOAUTH Authentication required.' }), {
      expose: ['https'],
      entry: entry('redis'),
    });
    expect(r.findings).toEqual([
      {
        checkId: 'service.exposed.redis',
        params: {
          port: 6379,
          transport: 'tcp',
          service: 'Redis',
          banner: '-NOAUTH Authentication required.',
        },
      },
    ]);
    expect(r.checks['service.exposed.redis']).toBe('fail');
    expect(r.checks['service.redis.unauthenticated']).toBe('pass');
    expect(r.checks['service.banner.version']).toBe('pass');
  });

  it('keeps a declared exposure as an info note, by name or alias, case-insensitively', () => {
    for (const expose of [['ssh'], ['SFTP'], ['https', ' ssh ']]) {
      const r = evaluateService(open({ port: 22, service: 'ssh' }), { expose, entry: entry('ssh') });
      expect(r.findings.find((f) => f.checkId === 'service.exposed.ssh')?.severity).toBe('info');
    }
    const undeclared = evaluateService(open({ port: 22, service: 'ssh' }), {
      expose: ['ftp'],
      entry: entry('ssh'),
    });
    expect(undeclared.findings[0]?.severity).toBeUndefined();
  });

  it('reports proven open access and disclosed versions, even when the exposure is declared', () => {
    const r = evaluateService(
      open({
        port: 11211,
        service: 'memcached',
        banner: 'VERSION 1.6.21',
        version: 'memcached 1.6.21',
        unauthenticated: 'version → VERSION 1.6.21',
      }),
      { expose: ['memcached'], entry: entry('memcached') },
    );
    expect(r.findings).toEqual([
      {
        checkId: 'service.exposed.memcached',
        params: { port: 11211, transport: 'tcp', service: 'Memcached', banner: 'VERSION 1.6.21' },
        severity: 'info',
      },
      {
        checkId: 'service.memcached.unauthenticated',
        params: { port: 11211, service: 'Memcached', proof: 'version → VERSION 1.6.21' },
      },
      {
        checkId: 'service.banner.version',
        key: '11211',
        params: { port: 11211, service: 'Memcached', version: 'memcached 1.6.21', banner: 'VERSION 1.6.21' },
      },
    ]);
  });

  it('names what answers, not what the port suggests: SSH on 6379', () => {
    const r = evaluateService(
      open({ service: 'ssh', banner: 'SSH-2.0-OpenSSH_9.2p1', version: 'OpenSSH_9.2p1' }),
      {
        expose: [],
        entry: entry('redis'),
        catalogue,
      },
    );
    expect(r.checks['service.exposed.redis']).toBe('pass');
    expect(r.checks['service.redis.unauthenticated']).toBe('pass');
    expect(r.checks['service.exposed.ssh']).toBe('fail');
    expect(r.findings.map((f) => [f.checkId, f.params.service])).toEqual([
      ['service.exposed.ssh', 'SSH'],
      ['service.banner.version', 'SSH'],
    ]);
  });

  it('labels a service found elsewhere by its name when no catalogue is given', () => {
    const r = evaluateService(open({ service: 'ssh' }), { expose: [], entry: entry('redis') });
    expect(r.findings[0]?.params).toMatchObject({ service: 'ssh', banner: '—' });
  });

  it('reports an open unidentified port by its port, and cannot tell about the expected service', () => {
    const r = evaluateService(open({ port: 27017, banner: 'HTTP/1.1 404 Not Found' }), {
      expose: [],
      entry: entry('mongodb'),
    });
    expect(r.findings).toEqual([
      {
        checkId: 'service.open.unknown',
        key: '27017',
        params: { port: 27017, transport: 'tcp', banner: 'HTTP/1.1 404 Not Found' },
      },
    ]);
    expect(r.checks['service.exposed.mongodb']).toBe('error');
    expect(r.checks['service.open.unknown']).toBe('fail');
    const silent = evaluateService(open({ port: 6379 }), { expose: [], entry: entry('redis') });
    expect(silent.findings[0]?.params.banner).toBe('—');
    expect(silent.checks['service.redis.unauthenticated']).toBe('error');
  });

  it('handles a port outside the catalogue and UDP services', () => {
    const r = evaluateService(open({ port: 8081 }), { expose: [] });
    expect(r.findings.map((f) => f.checkId)).toEqual(['service.open.unknown']);
    const snmp = evaluateService(open({ port: 161, transport: 'udp', service: 'snmp' }), {
      expose: [],
      entry: entry('snmp'),
    });
    expect(snmp.findings[0]).toMatchObject({ checkId: 'service.exposed.snmp', params: { transport: 'udp' } });
    expect(snmp.checks['service.snmp.unauthenticated']).toBeUndefined();
  });
});

describe('the service checks’ text: checks/catalogue.yaml and the services’ records', () => {
  const file = {
    checks: new Map([
      ...loadCatalogueFile(checksDir('catalogue.yaml')).checks,
      ...serviceCheckMetas(catalogue).map((m) => [m.id, m] as const),
    ]),
  };

  it('has an entry for each check evaluateService raises, and no other', () => {
    expect(
      [...loadCatalogueFile(checksDir('catalogue.yaml')).checks.keys()]
        .filter((id) => id.startsWith('service.'))
        .sort(),
    ).toEqual([...SERVICE_CHECK_IDS].sort());
    expect(
      [...catalogue.services.values()]
        .filter((s) => s.unauthenticated !== undefined)
        .map((s) => s.name)
        .sort(),
    ).toEqual([...UNAUTHENTICATED_SERVICES].sort());
    for (const name of UNAUTHENTICATED_SERVICES) {
      expect(file.checks.get(`service.${name}.unauthenticated`)?.severity).toBe('critical');
      expect(catalogue.services.has(name), name).toBe(true);
    }
  });

  it('uses exactly the evidence params evaluateService emits', () => {
    const r = evaluateService(
      open({ service: 'redis', banner: '+PONG', version: 'Redis 7', unauthenticated: 'PING → +PONG' }),
      { expose: [], entry: entry('redis') },
    );
    const unknown = evaluateService(open(), { expose: [] });
    for (const f of [...r.findings, ...unknown.findings]) {
      const meta = file.checks.get(f.checkId);
      expect(meta, f.checkId).toBeDefined();
      expect(templateParams(meta?.evidence.fr ?? '').sort(), f.checkId).toEqual(Object.keys(f.params).sort());
    }
  });
});
