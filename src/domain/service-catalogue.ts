import type { CheckText, Localized } from './catalogue.js';
import type { Severity } from './severity.js';

/**
 * Safe probes implemented in code (src/probes/services/), named by checks/services.yaml. None logs
 * in, sends a credential or writes: each sends at most a protocol's hello and reads the answer.
 */
export const SERVICE_PROBES = [
  'banner',
  'none',
  'ssh-ident',
  'ftp-greeting',
  'smtp-greeting',
  'telnet',
  'redis-ping',
  'mysql-greeting',
  'rdp-x224',
  'http-get',
  'mongodb-hello',
  'memcached-version',
  'postgres-ssl-request',
  'smb-negotiate',
  'vnc-rfb',
  'ldap-rootdse',
  'mssql-prelogin',
  'oracle-tns',
  'rsync-greeting',
  'snmpv3-discovery',
  'ipmi-rmcp-ping',
] as const;
export type ServiceProbeName = (typeof SERVICE_PROBES)[number];

/** Probes that speak UDP; every other probe speaks TCP. */
export const UDP_SERVICE_PROBES: readonly ServiceProbeName[] = ['snmpv3-discovery', 'ipmi-rmcp-ping'];

/**
 * The catalogue text of `service.<name>.unauthenticated`: where the service's safe probe can prove
 * that it answers without any authentication, the service's record says so, with the check's text.
 * Its evidence template may use `{service}`, `{port}`, `{proof}`.
 */
export type UnauthenticatedCheckText = CheckText;

/** One risky service of checks/services.yaml: where it listens, how to recognise it, why it matters. */
export interface ServiceEntry {
  /** Stable name, the suffix of `service.exposed.<name>`. */
  name: string;
  /** How people write it: "Redis", "PostgreSQL". */
  label: string;
  /** Other names an inventory may use under `expose:` for this service (e.g. `sftp` for ssh). */
  aliases: string[];
  ports: number[];
  transport: 'tcp' | 'udp';
  probe: ServiceProbeName;
  /**
   * The service name the probe reports for what answers on this entry's ports, when it differs from
   * `name` (e.g. `redis` for a Redis Sentinel entry): a variant of a service an existing probe already
   * identifies is one data entry. Absent: `name`.
   */
  protocol?: string;
  /** The service's access without authentication can be proven: its check's text. */
  unauthenticated?: UnauthenticatedCheckText;
  /** Severity of the service answering from where it was scanned without being declared. */
  severity: Severity;
  risk: Localized;
  remediation: Localized;
  references: string[];
  playbook?: string;
}

export interface ServiceCatalogue {
  version: number;
  /** By name, in file order. */
  services: ReadonlyMap<string, ServiceEntry>;
}

/** The catalogue's service listening on this port and transport by default, if any. */
export function serviceForPort(
  catalogue: ServiceCatalogue,
  port: number,
  transport: 'tcp' | 'udp' = 'tcp',
): ServiceEntry | undefined {
  for (const entry of catalogue.services.values()) {
    if (entry.transport === transport && entry.ports.includes(port)) return entry;
  }
  return undefined;
}

/** True when `expose:` (compared case-insensitively) names the service or one of its aliases. */
export function isExposureDeclared(
  expose: readonly string[],
  name: string,
  aliases: readonly string[] = [],
): boolean {
  const declared = new Set(expose.map((e) => e.trim().toLowerCase()));
  return [name, ...aliases].some((n) => declared.has(n.toLowerCase()));
}
