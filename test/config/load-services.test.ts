import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadServiceCatalogue, templateParams } from '../../src/config/index.js';
import {
  InvalidFileError,
  SERVICE_PROBES,
  serviceCheckMetas,
  serviceForPort,
} from '../../src/domain/index.js';
import type { Issue } from '../../src/domain/index.js';
import { FAKE_SERVICE_KINDS } from '../../src/demo/index.js';
import { evaluateService } from '../../src/engine/checks/service-checks.js';

const SHIPPED = fileURLToPath(new URL('../../checks/services.yaml', import.meta.url));

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function write(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-services-'));
  dirs.push(dir);
  const file = join(dir, 'services.yaml');
  writeFileSync(file, text);
  return file;
}

function issuesOf(file: string): readonly Issue[] {
  try {
    loadServiceCatalogue(file);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidFileError);
    return (error as InvalidFileError).issues;
  }
  throw new Error('loadServiceCatalogue should have thrown');
}

const ENTRY = `  - name: redis
    label: Redis
    ports: [6379]
    probe: redis-ping
    severity: critical
    risk: { fr: Risque., en: Risk. }
    remediation: { fr: Correction., en: Fix. }
    references: [CWE-306]
`;

describe('loadServiceCatalogue', () => {
  it('loads the shipped catalogue: every required service, French and English', () => {
    const catalogue = loadServiceCatalogue(SHIPPED);
    const required = [
      'ssh',
      'telnet',
      'ftp',
      'smb',
      'rdp',
      'vnc',
      'mysql',
      'postgresql',
      'mssql',
      'oracle',
      'mongodb',
      'redis',
      'elasticsearch',
      'memcached',
      'couchdb',
      'docker',
      'kubelet',
      'etcd',
      'ldap',
      'rsync',
      'snmp',
      'ipmi',
    ];
    for (const name of required) expect(catalogue.services.has(name), name).toBe(true);
    expect(catalogue.services.get('docker')?.ports).toEqual([2375, 2376]);
    expect(catalogue.services.get('snmp')).toMatchObject({ ports: [161], transport: 'udp' });
    expect(catalogue.services.get('ipmi')).toMatchObject({ ports: [623], transport: 'udp' });
    expect(catalogue.services.get('ssh')).toMatchObject({ severity: 'medium', aliases: ['sftp', 'scp'] });
    expect(catalogue.services.get('redis')?.transport).toBe('tcp');
    for (const name of [
      'docker',
      'redis',
      'memcached',
      'elasticsearch',
      'etcd',
      'kubelet',
      'mongodb',
      'couchdb',
    ]) {
      expect(catalogue.services.get(name)?.severity, name).toBe('critical');
    }
    for (const name of ['smb', 'rdp', 'telnet', 'vnc', 'ipmi'])
      expect(catalogue.services.get(name)?.severity, name).toBe('critical');
    for (const name of ['mysql', 'postgresql', 'mssql', 'oracle', 'ldap', 'rsync', 'snmp', 'ftp'])
      expect(catalogue.services.get(name)?.severity, name).toBe('high');
    expect(serviceForPort(catalogue, 2376)?.name).toBe('docker');
    expect(serviceForPort(catalogue, 161)).toBeUndefined();
    expect(serviceForPort(catalogue, 161, 'udp')?.name).toBe('snmp');
  });

  it('derives one check per service, with the evidence params evaluateService emits', () => {
    const catalogue = loadServiceCatalogue(SHIPPED);
    const all = serviceCheckMetas(catalogue);
    // Plus one `service.<name>.unauthenticated` per record that has `unauthenticated:`.
    const withAccessCheck = [...catalogue.services.values()].filter((s) => s.unauthenticated).length;
    expect(all).toHaveLength(catalogue.services.size + withAccessCheck);
    const metas = all.filter((m) => m.id.startsWith('service.exposed.'));
    expect(metas).toHaveLength(catalogue.services.size);
    const redis = metas.find((m) => m.id === 'service.exposed.redis');
    expect(redis).toMatchObject({
      category: 'services',
      severity: 'critical',
      title: { fr: 'Service Redis exposé sur Internet', en: 'Redis service exposed to the Internet' },
    });
    expect(redis?.remediation.fr).toMatch(/^Redis est conçu pour un réseau de confiance.*bind 127\.0\.0\.1/);
    expect(redis?.references).toContain('CWE-306');
    const { findings } = evaluateService(
      { port: 6379, transport: 'tcp', state: 'open', service: 'redis' },
      { expose: [], catalogue },
    );
    const params = Object.keys(findings[0]?.params ?? {}).sort();
    for (const meta of metas) {
      expect(templateParams(meta.evidence.fr).sort()).toEqual(params);
      expect(templateParams(meta.evidence.en).sort()).toEqual(params);
    }
  });

  it('reports every problem of a broken file with its path and line', () => {
    const file = write(`version: 1
services:
${ENTRY}  - name: Redis Bis
    label: ''
    ports: [0, 6379]
    probe: redis-info
    severity: urgent
    risk: { fr: Risque. }
    remediation: { fr: Correction., en: Fix. }
    references: []
    colour: red
  - name: snmp
    label: SNMP
    ports: [161]
    probe: snmpv3-discovery
    severity: high
    risk: { fr: R., en: R. }
    remediation: { fr: C., en: C. }
    references: [RFC 3414]
  - name: redis
    aliases: [ssh]
    label: Redis encore
    ports: [6380]
    transport: udp
    probe: redis-ping
    severity: high
    risk: { fr: R., en: R. }
    remediation: { fr: C., en: C. }
    references: [CWE-306]
`);
    const issues = issuesOf(file);
    const at = (path: string) => issues.filter((i) => i.path === path);
    expect(at('services[1].name')[0]).toMatchObject({ line: 11 });
    expect(at('services[1].label')[0]).toMatchObject({ line: 12 });
    expect(at('services[1].ports[0]')[0]).toMatchObject({ line: 13 });
    expect(at('services[1].probe')[0]?.message).toMatch(/valeur attendue parmi .*redis-ping/);
    expect(at('services[1].probe')[0]?.line).toBe(14);
    expect(at('services[1].severity')[0]).toMatchObject({ line: 15 });
    expect(at('services[1].risk.en')[0]).toMatchObject({ line: 16 });
    expect(at('services[1].references')[0]).toMatchObject({ line: 18 });
    expect(at('services[1].colour')[0]?.message).toMatch(/clé inconnue « colour »/);
    expect(at('services[2].probe')[0]?.message).toMatch(/parle UDP : ajoutez « transport: udp »/);
    expect(at('services[3].name')[0]?.message).toMatch(/« redis » déjà utilisé/);
    expect(at('services[3].name')[0]?.line).toBe(28);
    expect(at('services[3].probe')[0]?.message).toMatch(/parle TCP/);
    // The second entry's 6379 is the first's port: reported too, along with the schema issues.
    expect(at('services[1].ports[1]')[0]?.message).toMatch(/port 6379\/tcp déjà attribué à « redis »/);
    const lines = issues.map((i) => i.line ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('rejects an unknown probe name and lists the known ones', () => {
    const file = write(`version: 1\nservices:\n${ENTRY.replace('redis-ping', 'redis-info')}`);
    const [issue] = issuesOf(file);
    expect(issue).toMatchObject({ path: 'services[0].probe', line: 6 });
    for (const probe of SERVICE_PROBES) expect(issue?.message).toContain(probe);
  });

  it('reports YAML syntax errors and unreadable files', () => {
    expect(issuesOf(write('version: 1\nservices: [\n'))[0]?.line).toBeDefined();
    expect(issuesOf(join(tmpdir(), 'vigie-no-such-dir', 'services.yaml'))[0]?.message).toMatch(
      /lecture impossible/,
    );
  });

  it('has, for every service it lists, a loopback fake the probe identifies (tests and demo)', () => {
    const catalogue = loadServiceCatalogue(SHIPPED);
    for (const entry of catalogue.services.values()) {
      const spoken = entry.protocol ?? entry.name;
      expect(FAKE_SERVICE_KINDS as readonly string[], entry.name).toContain(spoken);
    }
  });
});
