import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { encodeAnswer, type ZoneRecord } from '../src/probes/dns/wire.js';
import { integer, octets, tlv } from '../src/probes/services/ber.js';

/**
 * Seeds of the fuzz targets: the repository's own fixtures and data files, the literal records of
 * the parser tests, and messages built like the servers of the tests build them. Read once.
 */

export const ROOT = path.resolve(new URL('..', import.meta.url).pathname);
const at = (...parts: string[]): string => path.join(ROOT, ...parts);

/** Files of test/fixtures/fuzz/<target>/ (README.md aside): every regression input, replayed as a seed too. */
export function fixtureFiles(target: string): string[] {
  const dir = at('test/fixtures/fuzz', target);
  try {
    return readdirSync(dir)
      .filter((name) => name !== 'README.md')
      .sort()
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}

export const fixtureTexts = (target: string): string[] =>
  fixtureFiles(target).map((f) => readFileSync(f, 'utf8'));
export const fixtureBytes = (target: string): Buffer[] => fixtureFiles(target).map((f) => readFileSync(f));

/**
 * String literals of a test file that start like a record of the format (`v=spf1`, `v=DMARC1` …):
 * the vectors the parser's own tests use.
 */
export function testVectors(testFile: string, start: RegExp): string[] {
  const text = readFileSync(at(testFile), 'utf8');
  const out = new Set<string>();
  for (const m of text.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\$]|\\.)*)`/g)) {
    const literal = (m[1] ?? m[2] ?? m[3] ?? '').replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
    if (start.test(literal)) out.add(literal);
  }
  return [...out];
}

/** The YAML of the repository: the example inventory, the catalogues, custom checks, playbook front matter. */
export function yamlSeeds(): string[] {
  const files = [
    at('examples/vigie.yml'),
    at('checks/catalogue.yaml'),
    at('checks/services.yaml'),
    ...readdirSync(at('checks/custom'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => at('checks/custom', f)),
  ];
  const seeds = files.map((f) => readFileSync(f, 'utf8'));
  for (const f of readdirSync(at('playbooks')).filter((f) => /^PB-.*\.md$/.test(f))) {
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(at('playbooks', f), 'utf8'))?.[1];
    if (front !== undefined) seeds.push(front);
  }
  // Large files make slow inputs for every mutation: their first 4 KB carry their shape.
  return [...seeds.map((s) => s.slice(0, 4096)), ...fixtureTexts('yaml')];
}

/** Certificates: Node's bundled roots (RSA, EC, various extensions) and the certificate fixtures. */
export function certificateSeeds(): Buffer[] {
  const der = rootCertificates
    .slice(0, 40)
    .map((pem) => Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64'));
  return [...der, ...fixtureBytes('certificate')];
}

const u8 = (n: number): Buffer => Buffer.from([n & 0xff]);
const u16 = (n: number): Buffer => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u24 = (n: number): Buffer => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const record = (type: number, body: Buffer, version = 0x0303): Buffer =>
  Buffer.concat([u8(type), u16(version), u16(body.length), body]);
const handshake = (type: number, body: Buffer): Buffer => Buffer.concat([u8(type), u24(body.length), body]);

function serverHello(
  version: number,
  suite: number,
  extensions: Buffer[] = [],
  random = Buffer.alloc(32, 7),
): Buffer {
  const ext = Buffer.concat(extensions);
  return handshake(
    2,
    Buffer.concat([
      u16(version),
      random,
      u8(32),
      Buffer.alloc(32, 1),
      u16(suite),
      u8(0),
      ...(ext.length ? [u16(ext.length), ext] : []),
    ]),
  );
}

/** Server flights as a TLS server sends them (TLS 1.0–1.3, HelloRetryRequest, alerts, SSLv2). */
export function tlsFlightSeeds(): Buffer[] {
  const [cert1, cert2] = certificateSeeds();
  const certs = [cert1, cert2].filter((c): c is Buffer => c !== undefined);
  const certificate = handshake(
    11,
    (() => {
      const list = Buffer.concat(certs.map((c) => Buffer.concat([u24(c.length), c])));
      return Buffer.concat([u24(list.length), list]);
    })(),
  );
  const prime = Buffer.concat([Buffer.from([0xff]), Buffer.alloc(127, 0xa5)]);
  const dheKeyExchange = handshake(
    12,
    Buffer.concat([u16(prime.length), prime, u16(1), u8(2), u16(64), Buffer.alloc(64, 3)]),
  );
  const done = handshake(14, Buffer.alloc(0));
  const tls12 = Buffer.concat([
    serverHello(0x0303, 0xc02f, [Buffer.from([0xff, 0x01, 0, 1, 0])]),
    certificate,
    dheKeyExchange,
    done,
  ]);
  const dhe = Buffer.concat([serverHello(0x0303, 0x009e), certificate, dheKeyExchange, done]);
  const supportedVersions = Buffer.concat([u16(43), u16(2), u16(0x0304)]);
  const hrrRandom = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
  const ssl2Cert = certs[0] ?? Buffer.alloc(0);
  const ssl2Body = Buffer.concat([
    u8(4),
    u8(0),
    u8(1),
    u16(0x0002),
    u16(ssl2Cert.length),
    u16(3),
    u16(16),
    ssl2Cert,
    Buffer.from([0x01, 0x00, 0x80]),
    Buffer.alloc(16, 9),
  ]);
  return [
    record(22, tls12),
    // The same flight split over several records.
    Buffer.concat([record(22, tls12.subarray(0, 60)), record(22, tls12.subarray(60))]),
    record(22, dhe, 0x0301),
    record(22, serverHello(0x0303, 0x1301, [supportedVersions])),
    record(22, serverHello(0x0303, 0x1301, [supportedVersions], hrrRandom)),
    Buffer.concat([
      record(21, Buffer.from([1, 112])),
      record(22, serverHello(0x0300, 0x000a)),
      record(20, Buffer.from([1])),
    ]),
    record(21, Buffer.from([2, 40])),
    Buffer.concat([u16(0x8000 | ssl2Body.length), ssl2Body]),
    Buffer.concat([u16(0x8000 | 3), Buffer.from([0, 0, 1])]),
  ];
}

/** DNS responses as the demo server encodes them: every record type vigie reads, EDNS, flags. */
export function dnsResponseSeeds(): Buffer[] {
  const zone: ZoneRecord[][] = [
    [
      { name: 'exemple.test', type: 'A', data: '192.0.2.10' },
      { name: 'exemple.test', type: 'AAAA', data: '2001:db8::10' },
    ],
    [{ name: 'exemple.test', type: 'TXT', data: ['v=spf1 include:_spf.exemple.test -all', 'x'.repeat(300)] }],
    [{ name: 'exemple.test', type: 'MX', data: { preference: 10, exchange: 'mx.exemple.test' } }],
    [{ name: 'exemple.test', type: 'CAA', data: { flags: 0, tag: 'issue', value: 'ca.exemple.test' } }],
    [
      { name: 'www.exemple.test', type: 'CNAME', data: 'exemple.test' },
      {
        name: 'exemple.test',
        type: 'SOA',
        data: { mname: 'ns1.exemple.test', rname: 'hostmaster.exemple.test' },
      },
    ],
    [
      { name: 'signe.test', type: 'DNSKEY', data: { flags: 257, algorithm: 13, key: Buffer.alloc(64, 7) } },
      {
        name: 'signe.test',
        type: 'RRSIG',
        data: { typeCovered: 'DNSKEY', algorithm: 13, signersName: 'signe.test' },
      },
    ],
  ];
  return [
    ...zone.map((answers, i) =>
      encodeAnswer({
        id: 4242 + i,
        name: answers[0]?.name ?? 'exemple.test',
        type: answers[0]?.type ?? 'A',
        rcode: 'NOERROR',
        authenticated: i % 2 === 0,
        truncated: false,
        answers,
        edns: i % 3 !== 0,
        dnssecOk: i === 5,
      }),
    ),
    encodeAnswer({
      id: 7,
      name: 'absent.test',
      type: 'TXT',
      rcode: 'NXDOMAIN',
      authenticated: false,
      truncated: false,
      answers: [],
      edns: true,
      dnssecOk: false,
    }),
    ...fixtureBytes('dns-response'),
  ];
}

/** LDAP answers to the root DSE search (BER), as a directory sends them. */
export function ldapSeeds(): Buffer[] {
  const attribute = (name: string, ...values: string[]) =>
    tlv(0x30, octets(name), tlv(0x31, ...values.map((v) => octets(v))));
  const entry = tlv(
    0x30,
    integer(1),
    tlv(
      0x64,
      octets(''),
      tlv(
        0x30,
        attribute('namingContexts', 'dc=exemple,dc=test'),
        attribute('vendorName', 'OpenLDAP'),
        attribute('vendorVersion', '2.6.7'),
        attribute('supportedLDAPVersion', '3'),
      ),
    ),
  );
  const done = tlv(0x30, integer(1), tlv(0x65, integer(0, 0x0a), octets(''), octets('')));
  const notice = tlv(0x30, integer(0), tlv(0x78, integer(2, 0x0a), octets(''), octets('unsupported')));
  return [Buffer.concat([entry, done]), done, notice];
}

/** First answers of the services the safe probes read. */
export function bannerSeeds(): Buffer[] {
  const text = [
    'SSH-2.0-OpenSSH_9.6p1 Debian-3\r\n',
    '220 ftp.exemple.test FTP server (vsftpd 3.0.5) ready.\r\n',
    '220-mail.exemple.test ESMTP Postfix\r\n220 mail.exemple.test\r\n',
    '+PONG\r\n',
    '-NOAUTH Authentication required.\r\n',
    'VERSION 1.6.21\r\n',
    '@RSYNCD: 31.0 sha512 sha256\n',
    'RFB 003.008\n',
    'HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n{"version":{"number":"8.1"}}',
    'HTTP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm="x"\r\n\r\n',
  ].map((s) => Buffer.from(s));
  const mysql = Buffer.concat([
    Buffer.from([0x4a, 0, 0, 0, 0x0a]),
    Buffer.from('8.0.36\0'),
    Buffer.alloc(60, 1),
  ]);
  const telnet = Buffer.from([
    0xff, 0xfd, 0x18, 0xff, 0xfb, 0x01, 0x0d, 0x0a, 0x6c, 0x6f, 0x67, 0x69, 0x6e, 0x3a,
  ]);
  return [...text, mysql, telnet];
}
