import { generateKeyPairSync, randomBytes } from 'node:crypto';
import nodeDns from 'node:dns';
import fs from 'node:fs';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { listFindings } from '../../../src/app/findings/index.js';
import { scanTargets, type ScanRequest } from '../../../src/app/scan/index.js';
import ScanCommand from '../../../src/commands/scan.js';
import {
  pemChain,
  startDnsServer,
  type DnsServerOptions,
  type Issued,
  type RunningDnsServer,
  type ZoneRecord,
} from '../../../src/demo/index.js';
import { fixedClock, systemClock, type Finding, type ScanResult } from '../../../src/domain/index.js';
import { runCommand } from '../../helpers/run-command.js';
import { createTestPki, daysFromNow, type TestPki } from '../../helpers/test-pki.js';

/*
 * The DNS and mail checks end to end, as a user's inventory drives them: a real DNS server (UDP and
 * TCP), real SMTP servers (smtp-server) with and without STARTTLS, and an HTTPS server publishing the
 * MTA-STS policies, all on loopback (127.0.0.1 to 127.0.0.6, and 127.0.0.47); nothing else is ever contacted.
 */

const ZONE = 'vigie.test';
const fqdn = (label: string): string => `${label}.${ZONE}`;
const ADDRESS = {
  dns: '127.0.0.1',
  mx: '127.0.0.2',
  mxClear: '127.0.0.3',
  mxExpired: '127.0.0.4',
  policy: '127.0.0.5',
  /** Nothing listens there: an MTA-STS policy host that cannot be reached. */
  nothing: '127.0.0.6',
  /** The bare host of the command-line test: only a VNC listener of the test answers there. */
  host: '127.0.0.47',
} as const;
const VNC_PORT = 5901;
const MODERN_SUITES = 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305';
const MTA_STS_ID = '20260101T000000';
/** Includes nested one in another under spf-requetes: with the apex's own include, 11 DNS lookups. */
const SPF_CHAIN = 11;

/** What one test domain publishes; every default is the compliant choice. */
interface DomainSpec {
  label: string;
  /** TXT records at the apex (default: one strict SPF record). */
  spf?: string[];
  /** TXT records at `_dmarc` (default: p=reject with rua). */
  dmarc?: string[];
  /** `CAA 0 issue` at the apex (default true). */
  caa?: boolean;
  /** DNSKEY + RRSIG over DNSKEY and SOA (default true). */
  signed?: boolean;
  /** Signed, but a validating resolver answers SERVFAIL for the whole zone. */
  bogus?: boolean;
  /** Address of `mx.<domain>`, its only MX; absent: the domain receives no mail. */
  mx?: string;
  /** Address of `mta-sts.<domain>`, or false for no `_mta-sts` record (default with an MX: the policy server). */
  mtaSts?: string | false;
  /** `_smtp._tls` record (default: when there is an MX). */
  tlsRpt?: boolean;
  /** DKIM records by selector. */
  dkim?: Record<string, string>;
  /** Selectors listed in the inventory (default: those of `dkim`). */
  selectors?: string[];
  extra?: ZoneRecord[];
}

const policyText = (mode: string, mx: string[]): string =>
  `version: STSv1\r\nmode: ${mode}\r\n${mx.map((m) => `mx: ${m}\r\n`).join('')}max_age: 604800\r\n`;

function zoneOf(spec: DomainSpec): ZoneRecord[] {
  const domain = fqdn(spec.label);
  const records: ZoneRecord[] = [
    { name: domain, type: 'SOA', data: { mname: `ns1.${domain}`, rname: `hostmaster.${domain}` } },
    { name: domain, type: 'NS', data: `ns1.${domain}` },
  ];
  for (const text of spec.spf ?? ['v=spf1 ip4:192.0.2.0/24 -all'])
    records.push({ name: domain, type: 'TXT', data: text });
  for (const text of spec.dmarc ?? [`v=DMARC1; p=reject; rua=mailto:dmarc@${domain}`]) {
    records.push({ name: `_dmarc.${domain}`, type: 'TXT', data: text });
  }
  if (spec.caa ?? true)
    records.push({ name: domain, type: 'CAA', data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } });
  if (spec.signed ?? true) {
    records.push(
      { name: domain, type: 'DNSKEY', data: { flags: 257, algorithm: 13, key: randomBytes(64) } },
      { name: domain, type: 'DNSKEY', data: { flags: 256, algorithm: 13, key: randomBytes(64) } },
      { name: domain, type: 'RRSIG', data: { typeCovered: 'DNSKEY', algorithm: 13, signersName: domain } },
      { name: domain, type: 'RRSIG', data: { typeCovered: 'SOA', algorithm: 13, signersName: domain } },
    );
  }
  if (spec.mx !== undefined) {
    records.push(
      { name: domain, type: 'MX', data: { preference: 10, exchange: `mx.${domain}` } },
      { name: `mx.${domain}`, type: 'A', data: spec.mx },
    );
    const policyHost = spec.mtaSts ?? ADDRESS.policy;
    if (policyHost !== false) {
      records.push(
        { name: `_mta-sts.${domain}`, type: 'TXT', data: `v=STSv1; id=${MTA_STS_ID}` },
        { name: `mta-sts.${domain}`, type: 'A', data: policyHost },
      );
    }
    if (spec.tlsRpt ?? true) {
      records.push({
        name: `_smtp._tls.${domain}`,
        type: 'TXT',
        data: `v=TLSRPTv1; rua=mailto:tls-rpt@${domain}`,
      });
    }
  }
  for (const [selector, text] of Object.entries(spec.dkim ?? {})) {
    records.push({ name: `${selector}._domainkey.${domain}`, type: 'TXT', data: text });
  }
  return [...records, ...(spec.extra ?? [])];
}

const dkimRecord = (bits: number): string =>
  `v=DKIM1; k=rsa; p=${generateKeyPairSync('rsa', { modulusLength: bits })
    .publicKey.export({ type: 'spki', format: 'der' })
    .toString('base64')}`;

const spfInclude = (n: number): string => `l${n}._spf.${fqdn('spf-requetes')}`;

/** The inventory's domains: one compliant, one per flaw. */
function mainDomains(keys: { strong: string; weak: string }): DomainSpec[] {
  const mx = ADDRESS.mx;
  const chain: ZoneRecord[] = Array.from({ length: SPF_CHAIN }, (_, i) => ({
    name: spfInclude(i + 1),
    type: 'TXT' as const,
    data: i + 1 < SPF_CHAIN ? `v=spf1 include:${spfInclude(i + 2)} -all` : 'v=spf1 ip4:192.0.2.0/24 -all',
  }));
  return [
    { label: 'conforme', mx, dkim: { mail2026: keys.strong } },
    { label: 'nu', mx, spf: [], dmarc: [], caa: false, signed: false, mtaSts: false, tlsRpt: false },
    { label: 'spf-ouvert', spf: ['v=spf1 ip4:192.0.2.0/24 +all'] },
    { label: 'spf-neutre', spf: ['v=spf1 ip4:192.0.2.0/24 ?all'] },
    { label: 'spf-double', spf: ['v=spf1 ip4:192.0.2.0/24 -all', 'v=spf1 ip4:198.51.100.0/24 -all'] },
    { label: 'spf-syntaxe', spf: ['v=spf1 ip4:300.1.1.1 -all'] },
    { label: 'spf-requetes', spf: [`v=spf1 include:${spfInclude(1)} -all`], extra: chain },
    { label: 'dmarc-none', dmarc: ['v=DMARC1; p=none'] },
    { label: 'dmarc-faute', dmarc: [`v=DMARC1; p=nonee; rua=mailto:dmarc@${fqdn('dmarc-faute')}`] },
    { label: 'sts-test', mx },
    { label: 'sts-mx', mx },
    { label: 'sts-404', mx },
    { label: 'sts-injoignable', mx, mtaSts: ADDRESS.nothing },
    { label: 'dkim-faible', dkim: { s2019: keys.weak } },
    { label: 'dkim-absent', dkim: { mail2026: keys.strong }, selectors: ['mail2026', 'ancien'] },
    { label: 'dnssec-casse', bogus: true },
    { label: 'clair', mx: ADDRESS.mxClear },
    { label: 'expire', mx: ADDRESS.mxExpired },
  ];
}

/** Domains whose lookups fail: scanned apart, with a short timeout. */
const FAILING: DomainSpec[] = [{ label: 'servfail' }, { label: 'muet' }];
/** The domain of the command-line test: no MX, so nothing tries port 25 nor 443. */
const CLI: DomainSpec = { label: 'cli', spf: ['v=spf1 ip4:192.0.2.0/24 +all'] };

/** The MTA-STS policy served for each `mta-sts.<domain>` (sts-404 has none: 404). */
const POLICIES = new Map<string, string>([
  [`mta-sts.${fqdn('conforme')}`, policyText('enforce', [`mx.${fqdn('conforme')}`])],
  [`mta-sts.${fqdn('sts-test')}`, policyText('testing', [`mx.${fqdn('sts-test')}`])],
  [`mta-sts.${fqdn('sts-mx')}`, policyText('enforce', [`mx.ailleurs.${ZONE}`])],
  // The MX of these domains are covered by a wildcard, as providers often publish.
  [`mta-sts.${fqdn('clair')}`, policyText('enforce', [`*.${fqdn('clair')}`])],
  [`mta-sts.${fqdn('expire')}`, policyText('enforce', [`*.${fqdn('expire')}`])],
]);

/** The inventory: one asset per domain; `ports: []` keeps the scan to the domains and their MX. */
function inventoryYaml(specs: readonly DomainSpec[], extra = ''): string {
  const assets = specs.map((s) => {
    const selectors = s.selectors ?? Object.keys(s.dkim ?? {});
    return [
      `  - id: ${s.label}`,
      `    name: Domaine ${s.label}`,
      `    owner: DSI`,
      `    criticality: medium`,
      `    hosts: [{ name: www.${fqdn(s.label)}, address: 127.0.0.1 }]`,
      `    ports: []`,
      `    domains: [{ name: ${fqdn(s.label)}, dkimSelectors: [${selectors.join(', ')}] }]`,
    ].join('\n');
  });
  return `organisation: { name: Commune de Vigie }\n${extra}assets:\n${assets.join('\n')}\n`;
}

function dnsOptions(specs: readonly DomainSpec[], extra: Partial<DnsServerOptions> = {}): DnsServerOptions {
  return {
    host: ADDRESS.dns,
    records: specs.flatMap(zoneOf),
    validated: specs.filter((s) => (s.signed ?? true) && !s.bogus).map((s) => fqdn(s.label)),
    bogus: specs.filter((s) => s.bogus).map((s) => fqdn(s.label)),
    ...extra,
  };
}

let pki: TestPki;
let dir: string;
let dns: RunningDnsServer;
let smtpPort: number;
let policyPort: number;
let mainInventory: string;
let main: ScanResult;
let specs: DomainSpec[];
const closers: (() => Promise<void>)[] = [];

const baseRequest = (): Omit<ScanRequest, 'inventoryFile'> => ({
  targets: [],
  caFiles: [],
  categories: ['dns'],
  save: false,
  resolver: dns.address,
  validatingResolver: true,
  mailPorts: { smtp: smtpPort, mtaSts: policyPort },
  trustAnchors: [pki.root.cert],
});

async function listenSmtp(options: SMTPServerOptions, port: number, host: string): Promise<SMTPServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH'],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 500,
    ...options,
  });
  // Probes that end a handshake early are TLS errors on the server side.
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  return server;
}

const closeSmtp = (s: SMTPServer): Promise<void> => new Promise((resolve) => s.close(() => resolve()));

/** Three MX servers on one port (`mailPorts.smtp` is one number): STARTTLS, clear text, expired certificate. */
async function startMxServers(valid: Issued, expired: Issued): Promise<number> {
  const tls = (cert: Issued): SMTPServerOptions => ({
    key: cert.keyPem,
    cert: pemChain(cert, pki.intermediate),
    minVersion: 'TLSv1.2',
    ciphers: MODERN_SUITES,
  });
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const started: SMTPServer[] = [];
    try {
      const first = await listenSmtp(tls(valid), 0, ADDRESS.mx);
      started.push(first);
      const { port } = first.server.address() as AddressInfo;
      started.push(await listenSmtp({ hideSTARTTLS: true }, port, ADDRESS.mxClear));
      started.push(await listenSmtp(tls(expired), port, ADDRESS.mxExpired));
      for (const s of started) closers.push(() => closeSmtp(s));
      return port;
    } catch (error) {
      lastError = error;
      await Promise.all(started.map(closeSmtp));
    }
  }
  throw lastError instanceof Error ? lastError : new Error('pas de port SMTP commun libre');
}

/** The MTA-STS policy server: the policy of the Host asked for, 404 for any other. */
async function startPolicyServer(cert: Issued): Promise<number> {
  const server = https.createServer(
    { key: cert.keyPem, cert: pemChain(cert, pki.intermediate), minVersion: 'TLSv1.2' },
    (req, res) => {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
      const policy = POLICIES.get(host);
      if (req.url === '/.well-known/mta-sts.txt' && policy !== undefined) {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(policy);
      } else res.writeHead(404, { 'content-type': 'text/plain' }).end('introuvable\n');
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, ADDRESS.policy, () => {
      server.off('error', reject);
      resolve();
    });
  });
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  pki = await createTestPki();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-dns-mail-'));
  specs = mainDomains({ strong: dkimRecord(2048), weak: dkimRecord(512) });

  // One certificate for every MX behind 127.0.0.2 (a shared mail host), one expired.
  const mxNames = specs.filter((s) => s.mx === ADDRESS.mx).map((s) => `mx.${fqdn(s.label)}`);
  const mxCert = await pki.leaf({ commonName: mxNames[0] ?? 'mx', dnsNames: mxNames });
  const expiredCert = await pki.leaf({
    commonName: `mx.${fqdn('expire')}`,
    notBefore: daysFromNow(-100),
    notAfter: daysFromNow(-3),
  });
  const policyNames = specs.filter((s) => s.mx !== undefined).map((s) => `mta-sts.${fqdn(s.label)}`);
  const policyCert = await pki.leaf({ commonName: policyNames[0] ?? 'mta-sts', dnsNames: policyNames });

  smtpPort = await startMxServers(mxCert, expiredCert);
  policyPort = await startPolicyServer(policyCert);
  dns = await startDnsServer(
    dnsOptions([...specs, ...FAILING, CLI], {
      servfail: [`_dmarc.${fqdn('servfail')}`],
      silent: [fqdn('muet')],
    }),
  );
  closers.push(() => dns.close());

  mainInventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(mainInventory, inventoryYaml(specs));
  main = await scanTargets(
    { clock: systemClock, lang: 'fr', dataDir: path.join(dir, 'main-data') },
    { ...baseRequest(), inventoryFile: mainInventory, timeoutMs: 4000 },
  );
}, 45_000);

afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const idsOn = (r: ScanResult, host: string): string[] =>
  [...new Set(r.findings.filter((f) => f.host === host).map((f) => f.checkId))].sort();
const findingsOn = (r: ScanResult, host: string, checkId: string): Finding[] =>
  r.findings.filter((f) => f.host === host && f.checkId === checkId);
const endpointOf = (r: ScanResult, host: string) => r.endpoints.find((e) => e.host === host);

/** Check IDs raised on each domain, and on its MX when it has one. */
const EXPECTED: Record<string, { domain: string[]; mx?: string[] }> = {
  conforme: { domain: [], mx: [] },
  nu: {
    domain: [
      'dns.caa.missing',
      'dns.dnssec.missing',
      'mail.dmarc.missing',
      'mail.mta-sts.missing',
      'mail.spf.missing',
      'mail.tls-rpt.missing',
    ],
    mx: [],
  },
  'spf-ouvert': { domain: ['mail.spf.permissive'] },
  'spf-neutre': { domain: ['mail.spf.permissive'] },
  'spf-double': { domain: ['mail.spf.invalid'] },
  'spf-syntaxe': { domain: ['mail.spf.invalid'] },
  'spf-requetes': { domain: ['mail.spf.too-many-lookups'] },
  'dmarc-none': { domain: ['mail.dmarc.no-rua', 'mail.dmarc.none'] },
  'dmarc-faute': { domain: ['mail.dmarc.invalid'] },
  'sts-test': { domain: ['mail.mta-sts.testing'], mx: [] },
  'sts-mx': { domain: ['mail.mta-sts.invalid'], mx: [] },
  'sts-404': { domain: ['mail.mta-sts.invalid'], mx: [] },
  'sts-injoignable': { domain: ['mail.mta-sts.invalid'], mx: [] },
  'dkim-faible': { domain: ['mail.dkim.weak-key'] },
  'dkim-absent': { domain: ['mail.dkim.missing'] },
  // A validating resolver answers SERVFAIL for every name of a bogus zone: "could not tell", never "missing".
  'dnssec-casse': { domain: ['dns.dnssec.invalid', 'scan.error'] },
  clair: { domain: [], mx: ['mail.starttls.missing'] },
  expire: { domain: [], mx: ['tls.cert.expired'] },
};

describe('DNS and mail checks through scanTargets, from the inventory', () => {
  it('assesses every domain of the inventory and the MX hosts they publish, nothing else', () => {
    const domains = specs.map((s) => fqdn(s.label));
    const mxHosts = specs.filter((s) => s.mx !== undefined).map((s) => `mx.${fqdn(s.label)}`);
    expect(
      main.endpoints
        .filter((e) => e.port === 53)
        .map((e) => e.host)
        .sort(),
    ).toEqual([...domains].sort());
    expect(
      main.endpoints
        .filter((e) => e.port !== 53)
        .map((e) => `${e.host}:${e.port}`)
        .sort(),
    ).toEqual(mxHosts.map((h) => `${h}:${smtpPort}`).sort());
    for (const f of main.findings) expect([...domains, ...mxHosts]).toContain(f.host);
    // Each domain result carries the asset that lists it.
    for (const s of specs) expect(endpointOf(main, fqdn(s.label))?.assetId).toBe(s.label);
    expect(Object.keys(EXPECTED).sort()).toEqual(specs.map((s) => s.label).sort());
  });

  it.each(Object.entries(EXPECTED))('%s: exactly the expected findings', (label, expected) => {
    const domain = fqdn(label);
    expect(idsOn(main, domain)).toEqual(expected.domain);
    for (const f of main.findings.filter((x) => x.host === domain)) {
      expect(f.port).toBe(53);
      expect(f.assetId).toBe(label);
      expect(f.evidence).not.toMatch(/\{[a-z]+\}/i);
    }
    if (expected.mx) {
      expect(idsOn(main, `mx.${domain}`)).toEqual(expected.mx);
      expect(endpointOf(main, `mx.${domain}`)?.status).toBe('assessed');
    } else {
      expect(endpointOf(main, `mx.${domain}`)).toBeUndefined();
    }
  });

  it('finds nothing to say on the compliant domain, and shows what it saw', () => {
    const domain = fqdn('conforme');
    const e = endpointOf(main, domain);
    expect(e?.status).toBe('assessed');
    expect(e?.errors).toBeUndefined();
    // Every check decided, and passed: none skipped (DKIM selector given, MX present), none in error.
    const checks = e?.checks ?? {};
    expect(Object.keys(checks).length).toBeGreaterThanOrEqual(20);
    for (const [id, status] of Object.entries(checks)) expect(status, id).toBe('pass');
    expect(e?.dns).toEqual({
      spf: 'v=spf1 ip4:192.0.2.0/24 -all',
      dmarc: `v=DMARC1; p=reject; rua=mailto:dmarc@${domain}`,
      mx: [`10 mx.${domain}`],
      caa: ['letsencrypt.org'],
      dnssec: 'validated',
      mtaSts: 'enforce',
    });
    const mx = endpointOf(main, `mx.${domain}`);
    expect(mx).toMatchObject({
      status: 'assessed',
      address: ADDRESS.mx,
      port: smtpPort,
      assetId: 'conforme',
    });
    expect(mx?.smtp?.starttls).toBe(true);
    expect(mx?.tls?.protocols).toEqual(['tls1.2', 'tls1.3']);
    expect(mx?.checks['mail.starttls.missing']).toBe('pass');
    expect(mx?.checks['tls.cert.expired']).toBe('pass');
    expect(mx?.checks['tls.cert.untrusted']).toBe('pass');
  });

  it('reports the unprotected domain, DNSSEC included, without a validation problem', () => {
    const e = endpointOf(main, fqdn('nu'));
    expect(e?.dns?.dnssec).toBe('unsigned');
    expect(e?.checks['dns.dnssec.invalid']).toBe('pass');
    expect(findingsOn(main, fqdn('nu'), 'dns.dnssec.missing')[0]?.details).toMatchObject({ dnskeys: 0 });
  });

  it('quotes the SPF term or the lookup count at fault', () => {
    expect(findingsOn(main, fqdn('spf-ouvert'), 'mail.spf.permissive')[0]?.details).toMatchObject({
      term: '+all',
    });
    expect(findingsOn(main, fqdn('spf-neutre'), 'mail.spf.permissive')[0]?.details).toMatchObject({
      term: '?all',
    });
    const double = findingsOn(main, fqdn('spf-double'), 'mail.spf.invalid');
    expect(double).toHaveLength(1);
    expect(double[0]?.details).toMatchObject({ problem: 'multiple-records' });
    expect(double[0]?.details['term']).toContain(' | ');
    const syntax = findingsOn(main, fqdn('spf-syntaxe'), 'mail.spf.invalid');
    expect(syntax.map((f) => f.details)).toEqual([
      { domain: fqdn('spf-syntaxe'), problem: 'invalid-ip4', term: 'ip4:300.1.1.1', scope: 'every-sender' },
    ]);
    const lookups = findingsOn(main, fqdn('spf-requetes'), 'mail.spf.too-many-lookups');
    expect(lookups).toHaveLength(1);
    expect(lookups[0]?.details).toMatchObject({ lookups: SPF_CHAIN, limit: 10 });
    // The trail starts at the apex and is cut short in the evidence.
    const trail = String(lookups[0]?.details['trail']);
    expect(
      trail.startsWith(`${fqdn('spf-requetes')}: include:${spfInclude(1)} ; ${spfInclude(1)}: include:`),
    ).toBe(true);
    expect(trail.endsWith('…')).toBe(true);
    expect(lookups[0]?.evidence).toContain(`${SPF_CHAIN} requêtes DNS (limite : 10)`);
    // The nested includes were asked of the configured server.
    expect(dns.queries.some((q) => q.name === spfInclude(SPF_CHAIN) && q.type === 'TXT')).toBe(true);
  });

  it('tells a missing, a watching-only and a mistyped DMARC policy apart', () => {
    const typo = findingsOn(main, fqdn('dmarc-faute'), 'mail.dmarc.invalid');
    expect(typo.map((f) => f.details)).toEqual([
      { domain: fqdn('dmarc-faute'), problem: 'invalid-policy', term: 'p=nonee' },
    ]);
    expect(endpointOf(main, fqdn('dmarc-none'))?.dns?.dmarc).toBe('v=DMARC1; p=none');
  });

  it('tells an MTA-STS policy in testing, not covering the MX, absent or unreachable apart', () => {
    expect(findingsOn(main, fqdn('sts-test'), 'mail.mta-sts.testing')[0]?.details).toMatchObject({
      mode: 'testing',
    });
    expect(endpointOf(main, fqdn('sts-test'))?.dns?.mtaSts).toBe('testing');
    expect(findingsOn(main, fqdn('sts-mx'), 'mail.mta-sts.invalid').map((f) => f.details)).toEqual([
      { domain: fqdn('sts-mx'), problem: 'mx-not-covered', term: `mx.${fqdn('sts-mx')}` },
    ]);
    const missing = findingsOn(main, fqdn('sts-404'), 'mail.mta-sts.invalid');
    expect(missing.map((f) => f.details['problem'])).toEqual(['policy-status']);
    expect(missing[0]?.details['term']).toMatch(
      /mta-sts\.sts-404\.vigie\.test.*\/\.well-known\/mta-sts\.txt → 404$/,
    );
    const down = findingsOn(main, fqdn('sts-injoignable'), 'mail.mta-sts.invalid');
    expect(down.map((f) => f.details['problem'])).toEqual(['policy-unreachable']);
    expect(down[0]?.details['term']).toMatch(/^refused: /);
  });

  it('measures DKIM keys and reports a declared selector without a key', () => {
    expect(findingsOn(main, fqdn('dkim-faible'), 'mail.dkim.weak-key').map((f) => f.details)).toEqual([
      { domain: fqdn('dkim-faible'), selector: 's2019', bits: 512 },
    ]);
    const absent = findingsOn(main, fqdn('dkim-absent'), 'mail.dkim.missing');
    expect(absent.map((f) => f.details)).toEqual([
      {
        domain: fqdn('dkim-absent'),
        selector: 'ancien',
        name: `ancien._domainkey.${fqdn('dkim-absent')}`,
        published: '—',
      },
    ]);
    // A domain whose inventory lists no selector: the DKIM checks are skipped, not passed.
    expect(endpointOf(main, fqdn('spf-ouvert'))?.checks['mail.dkim.missing']).toBe('skipped');
  });

  it('reports a bogus signed zone as invalid, never as unsigned, and its lookups as errors', () => {
    const domain = fqdn('dnssec-casse');
    expect(findingsOn(main, domain, 'dns.dnssec.invalid').map((f) => f.details)).toEqual([
      { domain, resolver: dns.address, validation: 'bogus' },
    ]);
    const e = endpointOf(main, domain);
    expect(e?.status).toBe('assessed');
    expect(e?.dns?.dnssec).toBe('bogus');
    expect(e?.checks['dns.dnssec.missing']).toBe('pass');
    for (const id of ['mail.spf.missing', 'mail.dmarc.missing', 'dns.caa.missing']) {
      expect(e?.checks[id], id).toBe('error');
    }
    // Each lookup the resolver refused is one scan-health finding, quoting the name asked.
    const errors = findingsOn(main, domain, 'scan.error');
    for (const f of errors) expect(f.details['reason']).toBe('dns');
    expect(errors.map((f) => String(f.details['detail']).replace(/ \(résolveur .*\)$/, '')).sort()).toEqual(
      [
        `SERVFAIL pour TXT ${domain}`,
        `SERVFAIL pour TXT _dmarc.${domain}`,
        `SERVFAIL pour MX ${domain}`,
        `SERVFAIL pour TXT _mta-sts.${domain}`,
        `SERVFAIL pour TXT _smtp._tls.${domain}`,
        `SERVFAIL pour CAA ${domain}`,
      ].sort(),
    );
  });

  it('checks STARTTLS and the certificate of each MX on the SMTP port', () => {
    const clear = fqdn('clair');
    const missing = findingsOn(main, `mx.${clear}`, 'mail.starttls.missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ port: smtpPort, assetId: 'clair' });
    expect(missing[0]?.details).toMatchObject({ host: `mx.${clear}`, port: smtpPort });
    const clearMx = endpointOf(main, `mx.${clear}`);
    expect(clearMx?.smtp?.starttls).toBe(false);
    expect(clearMx?.tls).toBeUndefined();
    expect(clearMx?.checks['tls.cert.expired']).toBe('skipped');

    const expiredMx = endpointOf(main, `mx.${fqdn('expire')}`);
    expect(expiredMx).toMatchObject({ status: 'assessed', address: ADDRESS.mxExpired, port: smtpPort });
    expect(expiredMx?.smtp?.starttls).toBe(true);
    expect(findingsOn(main, `mx.${fqdn('expire')}`, 'tls.cert.expired')[0]?.port).toBe(smtpPort);
  });

  it('never turns a SERVFAIL or a silent server into a missing record', async () => {
    const file = path.join(dir, 'defaillants.yml');
    fs.writeFileSync(file, inventoryYaml(FAILING));
    const started = Date.now();
    const r = await scanTargets(
      { clock: systemClock, lang: 'fr', dataDir: path.join(dir, 'failing-data') },
      { ...baseRequest(), inventoryFile: file, timeoutMs: 800 },
    );
    expect(Date.now() - started).toBeLessThan(10_000);

    const servfail = fqdn('servfail');
    expect(idsOn(r, servfail)).toEqual(['scan.error']);
    expect(findingsOn(r, servfail, 'scan.error').map((f) => f.details)).toEqual([
      { reason: 'dns', detail: expect.stringContaining(`SERVFAIL pour TXT _dmarc.${servfail}`) as unknown },
    ]);
    const sf = endpointOf(r, servfail);
    expect(sf?.status).toBe('assessed');
    for (const id of ['mail.dmarc.missing', 'mail.dmarc.none', 'mail.dmarc.no-rua', 'mail.dmarc.invalid']) {
      expect(sf?.checks[id], id).toBe('error');
    }
    expect(sf?.checks['mail.spf.missing']).toBe('pass');

    const quiet = fqdn('muet');
    expect(idsOn(r, quiet)).toEqual(['scan.timeout']);
    const timeouts = findingsOn(r, quiet, 'scan.timeout');
    for (const f of timeouts) expect(f.details).toMatchObject({ reason: 'timeout' });
    expect(timeouts.map((f) => String(f.details['detail']).replace(/^.* ms pour /, '')).sort()).toEqual(
      [`TXT ${quiet}`, `MX ${quiet}`, `CAA ${quiet}`, `SOA ${quiet}`].sort(),
    );
    const q = endpointOf(r, quiet);
    for (const id of ['mail.spf.missing', 'dns.caa.missing', 'dns.dnssec.missing']) {
      expect(q?.checks[id], id).toBe('error');
    }
    // What could be read was read: the DMARC record, published on another name.
    expect(q?.checks['mail.dmarc.missing']).toBe('pass');
  }, 20_000);
});

describe('a DNS finding through its life', () => {
  it('stays open while the record cannot be read, and is resolved once fixed', async () => {
    const life = path.join(dir, 'cycle');
    fs.mkdirSync(life);
    const spec: DomainSpec = { label: 'suivi', spf: ['v=spf1 ip4:192.0.2.0/24 +all'] };
    const domain = fqdn(spec.label);
    const inventory = path.join(life, 'vigie.yml');
    fs.writeFileSync(inventory, inventoryYaml([spec]));
    const server = async (s: DomainSpec, extra: Partial<DnsServerOptions> = {}) => {
      const started = await startDnsServer(dnsOptions([s], extra));
      onTestFinished(() => started.close());
      return started;
    };
    const permissive = await server(spec);
    const broken = await server(spec, { servfail: [domain] });
    const fixed = await server({ ...spec, spf: ['v=spf1 ip4:192.0.2.0/24 -all'] });

    const base = Math.floor(Date.now() / 1000) * 1000;
    const ctx = (hours: number) => ({
      clock: fixedClock(new Date(base + hours * 3_600_000)),
      lang: 'fr' as const,
      dataDir: path.join(life, 'data'),
    });
    const scanAt = (hours: number, resolver: RunningDnsServer) =>
      scanTargets(ctx(hours), {
        ...baseRequest(),
        inventoryFile: inventory,
        resolver: resolver.address,
        validatingResolver: false,
        timeoutMs: 2000,
        save: true,
      });
    const statusOf = async (hours: number) =>
      Object.fromEntries(
        (
          await listFindings(ctx(hours), {
            inventoryFile: inventory,
            status: ['new', 'open', 'resolved', 'regressed', 'waived'],
          })
        ).map((f) => [f.checkId, f.status]),
      );

    const first = await scanAt(1, permissive);
    expect(first.findings.map((f) => f.checkId)).toEqual(['mail.spf.permissive']);
    expect(first.run.saved).toBe(true);
    expect(await statusOf(1)).toEqual({ 'mail.spf.permissive': 'new' });

    // The apex answers SERVFAIL: the SPF check is in error, which closes nothing.
    const unreadable = await scanAt(2, broken);
    expect(endpointOf(unreadable, domain)?.checks['mail.spf.permissive']).toBe('error');
    expect(idsOn(unreadable, domain)).toEqual(['scan.error']);
    const during = await statusOf(2);
    expect(during['mail.spf.permissive']).toBeDefined();
    expect(during['mail.spf.permissive']).not.toBe('resolved');

    const repaired = await scanAt(3, fixed);
    expect(repaired.findings).toEqual([]);
    expect(endpointOf(repaired, domain)?.checks['mail.spf.permissive']).toBe('pass');
    expect(await statusOf(3)).toEqual({ 'mail.spf.permissive': 'resolved', 'scan.error': 'resolved' });
  }, 20_000);
});

describe('vigie scan on the command line', () => {
  it('treats a bare host as a domain with --only dns, through the inventory’s resolver', async () => {
    const file = path.join(dir, 'cli.yml');
    fs.writeFileSync(
      file,
      `organisation: { name: Commune de Vigie }\ndns: { resolver: "${dns.address}", validating: true }\n`,
    );
    const env = { VIGIE_DATA_DIR: path.join(dir, 'cli-data'), VIGIE_LANG: undefined };
    const domain = fqdn(CLI.label);

    const out = await runCommand(
      ScanCommand,
      [domain, '--only', 'dns', '--json', '--no-save', '-i', file],
      env,
    );
    expect(out.stderr).toBe('');
    expect(out.exitCode).toBe(0);
    const result = out.json<ScanResult>();
    expect(result.endpoints.map((e) => `${e.host}:${e.port}`)).toEqual([`${domain}:53`]);
    expect(result.findings.map((f) => [f.checkId, f.host, f.port])).toEqual([
      ['mail.spf.permissive', domain, 53],
    ]);
    expect(result.endpoints[0]?.dns?.dnssec).toBe('validated');
    expect(dns.queries.some((q) => q.name === domain && q.type === 'TXT')).toBe(true);

    // Without --only, a bare host is scanned on its ports, never as a domain. Its name is resolved by
    // the system resolver, which is told here to answer ADDRESS.host for it (no real name server
    // is asked): every port tried is on that address, where only the VNC listener below answers.
    const host = fqdn('hote');
    const lookups: string[] = [];
    const lookup = vi.spyOn(nodeDns.promises, 'lookup').mockImplementation(((name: string) => {
      lookups.push(name);
      return name === host
        ? Promise.resolve({ address: ADDRESS.host, family: 4 })
        : Promise.reject(Object.assign(new Error(`test: ${name} not resolved`), { code: 'ENOTFOUND' }));
    }) as typeof nodeDns.promises.lookup);
    onTestFinished(() => lookup.mockRestore());
    const vnc = net.createServer((socket) => socket.end('RFB 003.008\n'));
    const sockets = new Set<net.Socket>();
    vnc.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      vnc.once('error', reject);
      vnc.listen(VNC_PORT, ADDRESS.host, resolve);
    });
    onTestFinished(() => {
      for (const socket of sockets) socket.destroy();
      vnc.close();
    });
    const asked = dns.queries.length;
    const plain = await runCommand(
      ScanCommand,
      [host, '--json', '--no-save', '-i', file, '--timeout', '800'],
      env,
    );
    expect(plain.stderr).toBe('');
    expect(plain.exitCode).toBe(0);
    expect(lookups).toEqual([host]);
    const hostScan = plain.json<ScanResult>();
    const ports = hostScan.endpoints.map((e) => e.port);
    expect(ports).toContain(443);
    expect(ports).toContain(VNC_PORT);
    expect(ports).not.toContain(53);
    expect(hostScan.endpoints.every((e) => e.host === host && e.address === ADDRESS.host)).toBe(true);
    expect(hostScan.endpoints.filter((e) => e.dns !== undefined)).toEqual([]);
    expect(hostScan.findings.map((f) => [f.checkId, f.host, f.port])).toEqual([
      ['service.exposed.vnc', host, VNC_PORT],
    ]);
    expect(dns.queries.length).toBe(asked);
  }, 20_000);
});

describe('edge cases of the walk and the plan', () => {
  it('counts an include reached twice twice, cuts include loops, and keeps MX names to the configured resolver', async () => {
    const spfName = (label: string) => `${label}._spf.${ZONE}`;
    const diamond: DomainSpec = {
      label: 'spf-losange',
      spf: [`v=spf1 include:${spfName('a')} include:${spfName('b')} -all`],
      extra: [
        { name: spfName('a'), type: 'TXT', data: `v=spf1 include:${spfName('c')} -all` },
        { name: spfName('b'), type: 'TXT', data: `v=spf1 include:${spfName('c')} -all` },
        {
          name: spfName('c'),
          type: 'TXT',
          data: 'v=spf1 a:h1.example a:h2.example a:h3.example a:h4.example -all',
        },
      ],
    };
    const loop: DomainSpec = {
      label: 'spf-boucle',
      spf: [`v=spf1 include:${spfName('retour')} -all`],
      extra: [{ name: spfName('retour'), type: 'TXT', data: `v=spf1 include:${fqdn('spf-boucle')} -all` }],
    };
    // Its MX name has no address at the configured resolver.
    const homeless: DomainSpec = {
      label: 'mx-orphelin',
      mtaSts: false,
      tlsRpt: false,
      extra: [
        {
          name: fqdn('mx-orphelin'),
          type: 'MX',
          data: { preference: 10, exchange: `mx.nulle-part.${ZONE}` },
        },
      ],
    };
    const specs = [diamond, loop, homeless];
    const server = await startDnsServer(dnsOptions(specs));
    onTestFinished(() => server.close());
    const inventory = path.join(dir, 'bords.yml');
    fs.writeFileSync(inventory, inventoryYaml(specs));
    const r = await scanTargets(
      { clock: fixedClock(new Date()), lang: 'fr', dataDir: path.join(dir, 'bords') },
      { ...baseRequest(), inventoryFile: inventory, resolver: server.address, timeoutMs: 2000 },
    );
    // 2 at the top, then a → c (1 + 4) and b → c (1 + 4): receivers evaluate c twice.
    const [tooMany] = findingsOn(r, fqdn('spf-losange'), 'mail.spf.too-many-lookups');
    expect(tooMany?.details['lookups']).toBe(12);
    // The loop ends (the include back to the domain is not followed again) and stays under the limit.
    expect(endpointOf(r, fqdn('spf-boucle'))?.checks['mail.spf.too-many-lookups']).toBe('pass');
    // No MX endpoint resolved elsewhere: the domain says why its MX cannot be checked.
    expect(r.endpoints.some((e) => e.host === `mx.nulle-part.${ZONE}`)).toBe(false);
    const [orphan] = findingsOn(r, fqdn('mx-orphelin'), 'scan.error');
    expect(orphan?.evidence).toContain(`mx.nulle-part.${ZONE}`);
  }, 20_000);

  it('gives an MX that the inventory also lists the SMTP and STARTTLS checks', async () => {
    const spec: DomainSpec = { label: 'inventorie', mx: ADDRESS.mxClear, mtaSts: false };
    const server = await startDnsServer(dnsOptions([spec]));
    onTestFinished(() => server.close());
    const mx = `mx.${fqdn('inventorie')}`;
    const inventory = path.join(dir, 'mx-inventorie.yml');
    fs.writeFileSync(
      inventory,
      [
        'organisation: { name: Commune de Vigie }',
        'assets:',
        '  - id: messagerie',
        '    name: Messagerie',
        '    owner: DSI',
        '    criticality: high',
        `    hosts: [{ name: ${mx}, address: ${ADDRESS.mxClear} }]`,
        `    ports: [${smtpPort}]`,
        `    domains: [${fqdn('inventorie')}]`,
        '',
      ].join('\n'),
    );
    const r = await scanTargets(
      { clock: fixedClock(new Date()), lang: 'fr', dataDir: path.join(dir, 'mx-inventorie') },
      {
        ...baseRequest(),
        categories: ['tls', 'http', 'services', 'dns'],
        inventoryFile: inventory,
        resolver: server.address,
        timeoutMs: 2000,
      },
    );
    const onMx = r.endpoints.filter((e) => e.host === mx);
    expect(onMx).toHaveLength(1);
    expect(onMx[0]?.smtp?.starttls).toBe(false);
    expect(idsOn(r, mx)).toContain('mail.starttls.missing');
    expect(idsOn(r, mx)).not.toContain('scan.error');
  }, 20_000);
});
