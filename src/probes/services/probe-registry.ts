import type { ServiceProbeName } from '../../domain/index.js';
import { bannerProbe } from './banner.js';
import { httpGetProbe } from './http-get.js';
import type { Identification, TcpServiceProbe } from './identification.js';
import { recognizeRmcpPong, rmcpPresencePing } from './ipmi-rmcp-ping.js';
import { ldapRootDseProbe } from './ldap-rootdse.js';
import { memcachedVersionProbe } from './memcached-version.js';
import { mongodbHelloProbe } from './mongodb-hello.js';
import { mssqlPreloginProbe } from './mssql-prelogin.js';
import { oracleTnsProbe } from './oracle-tns.js';
import { postgresSslRequestProbe } from './postgres-ssl-request.js';
import { rdpX224Probe } from './rdp-x224.js';
import { redisPingProbe } from './redis-ping.js';
import { ftpGreetingProbe, smtpGreetingProbe } from './reply-220.js';
import { smbNegotiateProbe } from './smb-negotiate.js';
import { recognizeSnmpv3, snmpv3DiscoveryRequest } from './snmpv3-discovery.js';
import { telnetProbe } from './telnet.js';
import { vncRfbProbe } from './vnc-rfb.js';

/** A probe over UDP: one request datagram, one answer recognised. */
export interface UdpServiceProbe {
  request(): Buffer;
  recognize(answer: Buffer): Identification | undefined;
}

export type RegisteredProbe =
  | { transport: 'tcp'; run: (expected: string | undefined) => TcpServiceProbe }
  | { transport: 'udp'; probe: UdpServiceProbe };

const tcp = (probe: TcpServiceProbe): RegisteredProbe => ({ transport: 'tcp', run: () => probe });

/** Every probe services.yaml may name, implemented (the type makes a missing one a compile error). */
export const PROBES: Record<ServiceProbeName, RegisteredProbe> = {
  banner: tcp(bannerProbe),
  none: tcp(bannerProbe),
  'ssh-ident': tcp(bannerProbe),
  'rsync-greeting': tcp(bannerProbe),
  'mysql-greeting': tcp(bannerProbe),
  'ftp-greeting': tcp(ftpGreetingProbe),
  'smtp-greeting': tcp(smtpGreetingProbe),
  telnet: tcp(telnetProbe),
  'redis-ping': tcp(redisPingProbe),
  'rdp-x224': tcp(rdpX224Probe),
  'http-get': { transport: 'tcp', run: (expected) => httpGetProbe(expected) },
  'mongodb-hello': tcp(mongodbHelloProbe),
  'memcached-version': tcp(memcachedVersionProbe),
  'postgres-ssl-request': tcp(postgresSslRequestProbe),
  'smb-negotiate': tcp(smbNegotiateProbe),
  'vnc-rfb': tcp(vncRfbProbe),
  'ldap-rootdse': tcp(ldapRootDseProbe),
  'mssql-prelogin': tcp(mssqlPreloginProbe),
  'oracle-tns': tcp(oracleTnsProbe),
  'snmpv3-discovery': {
    transport: 'udp',
    probe: { request: () => snmpv3DiscoveryRequest(), recognize: recognizeSnmpv3 },
  },
  'ipmi-rmcp-ping': {
    transport: 'udp',
    probe: { request: () => rmcpPresencePing(), recognize: recognizeRmcpPong },
  },
};

/** Every service name a probe or a signature can report: each must be an entry of services.yaml. */
export const IDENTIFIABLE_SERVICES = [
  'ssh',
  'ftp',
  'smtp',
  'telnet',
  'redis',
  'mysql',
  'rdp',
  'elasticsearch',
  'couchdb',
  'docker',
  'etcd',
  'kubelet',
  'mongodb',
  'memcached',
  'postgresql',
  'smb',
  'vnc',
  'ldap',
  'mssql',
  'oracle',
  'rsync',
  'snmp',
  'ipmi',
] as const;
export type IdentifiableService = (typeof IDENTIFIABLE_SERVICES)[number];
