import { X509Certificate } from 'node:crypto';
import { parseClientHello } from '../../src/demo/client-hello-parser.js';
import { decodeResponse, MalformedDnsMessageError } from '../../src/probes/dns/wire.js';
import { readRootDse } from '../../src/probes/services/ldap-rootdse.js';
import { parse220, recognize220 } from '../../src/probes/services/reply-220.js';
import { parseHttpAnswer } from '../../src/probes/services/http-answer.js';
import { recognizeMemcachedReply } from '../../src/probes/services/memcached-version.js';
import { bsonScalars } from '../../src/probes/services/mongodb-hello.js';
import { parsePreloginOptions } from '../../src/probes/services/mssql-prelogin.js';
import { recognizeMysqlGreeting } from '../../src/probes/services/mysql-greeting.js';
import { recognizeRedisReply } from '../../src/probes/services/redis-ping.js';
import { recognizeRmcpPong } from '../../src/probes/services/ipmi-rmcp-ping.js';
import { recognizeRsync } from '../../src/probes/services/rsync-greeting.js';
import { describeUnknown, matchSignatures } from '../../src/probes/services/signatures.js';
import { recognizeSnmpv3 } from '../../src/probes/services/snmpv3-discovery.js';
import { recognizeSsh } from '../../src/probes/services/ssh-ident.js';
import { parseTelnet, recognizeTelnet } from '../../src/probes/services/telnet.js';
import { recognizeRfb } from '../../src/probes/services/vnc-rfb.js';
import {
  analyseChain,
  observeChain,
  UnreadableCertificateError,
} from '../../src/probes/tls/certificate-analysis.js';
import { buildClientHello, TLS_VERSION_WIRE } from '../../src/probes/tls/client-hello.js';
import {
  certificateSignatureAlgorithm,
  decodeOid,
  DER_TAG,
  readChildren,
  readTlv,
  type Tlv,
} from '../../src/probes/tls/der.js';
import { parseServerFlight, ServerFlightReader } from '../../src/probes/tls/server-hello.js';
import { TLS_VERSIONS, type TlsVersionId } from '../../src/domain/tls.js';
import { mutatedBytes } from '../mutate.js';
import {
  bannerSeeds,
  certificateSeeds,
  dnsResponseSeeds,
  fixtureBytes,
  ldapSeeds,
  tlsFlightSeeds,
} from '../seeds.js';
import { expectThat, InvariantViolation, onlyThrows, sameData, type FuzzTarget } from '../target.js';

/*
 * The binary parsers of what servers send: TLS server flights, certificates (DER), the DNS wire
 * format, BER (LDAP) and the first answers of the risky services. Seeded byte mutation: hostile
 * bytes give a result, an `invalid` state or the parser's own error, never an exception.
 */

const FINAL = new Set(['alert', 'invalid']);

export const tlsFlightTarget: FuzzTarget<Buffer> = {
  name: 'tls-server-flight',
  input: 'bytes',
  about:
    'TLS/SSLv2 server flights (ServerHello, Certificate, ServerKeyExchange): same answer read at once or in two chunks',
  arbitrary: () =>
    mutatedBytes([...tlsFlightSeeds(), ...fixtureBytes('tls-server-flight')], { maxLength: 300 * 1024 }),
  check(data) {
    for (const want of ['hello', 'key-exchange'] as const) {
      const whole = onlyThrows(() => parseServerFlight(data, { want }));
      expectThat(whole !== undefined, 'parseServerFlight threw');
      if (whole?.state === 'hello') {
        expectThat((whole.certificates?.length ?? 0) <= 16, 'more than 16 certificates kept');
      }
      // The bytes may come in any chunks: the answer does not depend on where they are cut.
      const reader = new ServerFlightReader({ want });
      const cut = data.length >> 1;
      const first = onlyThrows(() => reader.push(data.subarray(0, cut)));
      const final =
        first !== undefined && (FINAL.has(first.state) || (first.state === 'hello' && first.complete));
      const chunked = final ? first : onlyThrows(() => reader.push(data.subarray(cut)));
      if (!final && whole !== undefined && chunked !== undefined) {
        expectThat(
          sameData(chunked, whole),
          `read in two chunks: ${JSON.stringify(chunked).slice(0, 200)} ≠ ${JSON.stringify(whole).slice(0, 200)}`,
        );
      }
    }
  },
};

function versionOf(wire: number): TlsVersionId | undefined {
  return TLS_VERSIONS.find((v) => TLS_VERSION_WIRE[v] === wire);
}

export const clientHelloTarget: FuzzTarget<Buffer> = {
  name: 'tls-client-hello',
  input: 'bytes',
  about: 'ClientHello reader of the demo servers; vigie’s ClientHello builder → reader round trip',
  arbitrary: () =>
    mutatedBytes([
      ...(['ssl2', 'ssl3', 'tls1.0', 'tls1.2', 'tls1.3'] as const).map((version) =>
        buildClientHello({
          version,
          suites: version === 'ssl2' ? [0x010080, 0x0700c0] : [0x1301, 0xc02f, 0x002f],
          serverName: 'www.exemple.test',
        }),
      ),
      ...fixtureBytes('tls-client-hello'),
    ]),
  check(data) {
    const parsed = onlyThrows(() => parseClientHello(data));
    expectThat(parsed !== undefined, 'parseClientHello threw');
    if (parsed?.state !== 'hello' || parsed.hello.format !== 'tls') return;
    const hello = parsed.hello;
    const wire = hello.supportedVersions?.includes(0x0304) ? 0x0304 : hello.clientVersion;
    const version = versionOf(wire);
    const serverName = hello.serverName;
    if (
      version === undefined ||
      version === 'ssl2' ||
      serverName === undefined ||
      !/^[a-z0-9.-]{1,253}$/.test(serverName)
    )
      return;
    const suites = [...new Set(hello.cipherSuites.filter((s) => s !== 0x00ff))];
    if (suites.length === 0) return;
    // Rendered again by vigie's builder, the hello reads back with the same offer.
    const again = parseClientHello(buildClientHello({ version, suites, serverName }));
    if (again.state !== 'hello' || again.hello.format !== 'tls')
      throw new InvariantViolation(`rebuilt hello unreadable: ${again.state}`);
    expectThat(
      sameData(
        again.hello.cipherSuites.filter((s) => s !== 0x00ff),
        suites,
      ),
      'suites change through build → parse',
    );
    // SSLv3 hellos carry no extension, so no server name; a final dot is not sent (RFC 6066 §3).
    const expected = serverName.replace(/\.$/, '');
    if (version !== 'ssl3' && expected !== '') {
      expectThat(again.hello.serverName === expected, 'server name changes through build → parse');
    }
  },
};

export const certificateTarget: FuzzTarget<Buffer> = {
  name: 'certificate',
  input: 'bytes',
  about: 'certificates (DER): facts, name match and trust path, or a certificate-level error',
  arbitrary: () => mutatedBytes(certificateSeeds(), { maxLength: 64 * 1024 }),
  check(der) {
    const opts = { checkedName: 'www.exemple.test', trustAnchors: [] };
    const outcome = onlyThrows(() => observeChain([der], opts));
    expectThat(outcome !== undefined, 'observeChain threw');
    onlyThrows(() => analyseChain([der, der], opts), UnreadableCertificateError);
    onlyThrows(() => certificateSignatureAlgorithm(der));
    let cert: X509Certificate | undefined;
    try {
      cert = new X509Certificate(der);
    } catch {
      return; // OpenSSL refuses it: analyseChain says so itself
    }
    // A certificate OpenSSL reads is never observed with facts vigie invented.
    if (outcome?.status === 'observed') {
      expectThat(
        outcome.value.chain[0]?.fingerprint256 === cert.fingerprint256,
        'facts of another certificate',
      );
    }
  },
};

function walk(buf: Buffer, tlv: Tlv, depth: number): void {
  expectThat(
    tlv.start >= 0 && tlv.start <= tlv.end && tlv.end <= buf.length,
    `TLV out of bounds: ${JSON.stringify(tlv)}`,
  );
  if (tlv.tag === DER_TAG.oid) onlyThrows(() => decodeOid(buf.subarray(tlv.start, tlv.end)));
  if (depth > 8 || (tlv.tag & 0x20) === 0) return;
  for (const child of onlyThrows(() => readChildren(buf, tlv)) ?? []) walk(buf, child, depth + 1);
}

export const derTarget: FuzzTarget<Buffer> = {
  name: 'der',
  input: 'bytes',
  about: 'the bounded DER reader (readTlv, readChildren, decodeOid): in bounds, never throws',
  arbitrary: () =>
    mutatedBytes([...certificateSeeds().slice(0, 8), ...ldapSeeds(), ...fixtureBytes('der')], {
      maxLength: 64 * 1024,
    }),
  check(buf) {
    const top = onlyThrows(() => readTlv(buf, 0));
    if (top !== undefined) walk(buf, top, 0);
  },
};

export const dnsResponseTarget: FuzzTarget<Buffer> = {
  name: 'dns-response',
  input: 'bytes',
  about: 'DNS responses (wire format): records, or MalformedDnsMessageError',
  arbitrary: () => mutatedBytes(dnsResponseSeeds(), { maxLength: 65535 }),
  check(buf) {
    let decoded: ReturnType<typeof decodeResponse>;
    try {
      decoded = decodeResponse(buf);
    } catch (error) {
      if (error instanceof MalformedDnsMessageError) return;
      if (error instanceof Error && error.message.startsWith('message DNS sans le bit QR')) return;
      throw new InvariantViolation(`unexpected exception ${String(error)}`, { cause: error });
    }
    for (const a of decoded.response.answers) {
      expectThat(
        typeof a.name === 'string' && Number.isFinite(a.ttl),
        `record without name or TTL: ${JSON.stringify(a).slice(0, 200)}`,
      );
    }
  },
};

export const ldapTarget: FuzzTarget<Buffer> = {
  name: 'ldap',
  input: 'bytes',
  about: 'LDAP root DSE answers (BER): an identification or nothing',
  arbitrary: () => mutatedBytes([...ldapSeeds(), ...fixtureBytes('ldap')], { maxLength: 16 * 1024 }),
  check(buf) {
    onlyThrows(() => readRootDse(buf));
  },
};

const RECOGNIZERS: readonly ((b: Buffer) => unknown)[] = [
  recognizeSsh,
  recognize220,
  parse220,
  recognizeRedisReply,
  recognizeMemcachedReply,
  recognizeMysqlGreeting,
  recognizeRsync,
  recognizeRfb,
  recognizeTelnet,
  parseTelnet,
  recognizeSnmpv3,
  recognizeRmcpPong,
  bsonScalars,
  parsePreloginOptions,
  matchSignatures,
  describeUnknown,
  (b) => parseHttpAnswer(b, false),
];

export const bannersTarget: FuzzTarget<Buffer> = {
  name: 'service-banners',
  input: 'bytes',
  about:
    'first answers of the risky services (SSH, FTP/SMTP, Redis, MySQL, VNC, telnet, SNMP, IPMI, MongoDB, MSSQL, HTTP)',
  arbitrary: () =>
    mutatedBytes([...bannerSeeds(), ...fixtureBytes('service-banners')], { maxLength: 16 * 1024 }),
  check(buf) {
    for (const recognize of RECOGNIZERS) onlyThrows(() => recognize(buf));
  },
};

export const BINARY_TARGETS: readonly FuzzTarget<Buffer>[] = [
  tlsFlightTarget,
  clientHelloTarget,
  certificateTarget,
  derTarget,
  dnsResponseTarget,
  ldapTarget,
  bannersTarget,
];
