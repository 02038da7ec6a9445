import https from 'node:https';
import net from 'node:net';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { startDnsServer, type ZoneRecord } from './dns-server.js';
import { issueLeaf, pemChain, type Issued } from './pki.js';
import { startDemoSmtpServer } from './smtp-server.js';
import { onFixedPort } from './demo-errors.js';
import { listenCtSearch } from './ct-search-server.js';

/** A demo domain: which asset it belongs to and what is wrong with it. */
export interface DemoDomain {
  domain: string;
  /** Label of the demo asset that lists it under `domains:`. */
  assetLabel: string;
  dkimSelectors: string[];
  flaw: string;
}

export interface DemoMailEstate {
  domains: DemoDomain[];
  /** The demo resolver, `address:port`; it plays a validating resolver for the signed zone. */
  resolver: string;
  /** Port of the demo's authoritative DNS server (zone transfers, delegation checks of `vigie discover`). */
  dnsPort: number;
  /** A crt.sh-compatible Certificate Transparency search for the demo domains (`vigie discover --source ct`). */
  ctUrl: string;
  /** The MX hosts and the MTA-STS policy server listen on these ports instead of 25 and 443. */
  ports: { smtp: number; mtaSts: number };
  close(): Promise<void>;
}

/** Mozilla "intermediate" TLS 1.2 suites: AEAD with forward secrecy only. */
const MODERN_SUITES = 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305';
/** Host numbers of the mail side in the demo's loopback /24. */
const HOSTS = { dns: 40, mxGood: 41, mxCareless: 42, mtaSts: 43, ct: 44 } as const;
/** Fixed ports: the demo stops with a {@link DemoAddressError} when one is taken. */
export const DEMO_MAIL_PORTS = { dns: 5353, smtp: 2525, mtaSts: 8443, ct: 8080 } as const;

export const DEMO_MAIL_DOMAINS = { good: 'ville.demo.vigie.test', careless: 'mediatheque.demo.vigie.test' };

const dkimKey = (bits: number): string =>
  generateKeyPairSync('rsa', { modulusLength: bits })
    .publicKey.export({ type: 'spki', format: 'der' })
    .toString('base64');

function zone(policyAddress: string, mxGood: string, mxCareless: string, dnsAddress: string): ZoneRecord[] {
  const good = DEMO_MAIL_DOMAINS.good;
  const bad = DEMO_MAIL_DOMAINS.careless;
  const soa = (name: string): ZoneRecord => ({
    name,
    type: 'SOA',
    data: { mname: `ns1.${name}`, rname: `hostmaster.${name}` },
  });
  return [
    // A compliant domain: every record in place, signed zone.
    soa(good),
    { name: good, type: 'NS', data: `ns1.${good}` },
    { name: `ns1.${good}`, type: 'A', data: dnsAddress },
    { name: good, type: 'MX', data: { preference: 10, exchange: `mx.${good}` } },
    { name: `mx.${good}`, type: 'A', data: mxGood },
    { name: good, type: 'TXT', data: `v=spf1 mx ip4:192.0.2.0/24 -all` },
    { name: `_dmarc.${good}`, type: 'TXT', data: `v=DMARC1; p=reject; rua=mailto:dmarc@${good}` },
    { name: `_mta-sts.${good}`, type: 'TXT', data: 'v=STSv1; id=20261128T000000' },
    { name: `mta-sts.${good}`, type: 'A', data: policyAddress },
    { name: `_smtp._tls.${good}`, type: 'TXT', data: `v=TLSRPTv1; rua=mailto:tls-rpt@${good}` },
    { name: `mail2026._domainkey.${good}`, type: 'TXT', data: `v=DKIM1; k=rsa; p=${dkimKey(2048)}` },
    { name: good, type: 'CAA', data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } },
    { name: good, type: 'CAA', data: { flags: 0, tag: 'iodef', value: `mailto:securite@${good}` } },
    { name: good, type: 'DNSKEY', data: { flags: 257, algorithm: 13, key: randomBytes(64) } },
    { name: good, type: 'DNSKEY', data: { flags: 256, algorithm: 13, key: randomBytes(64) } },
    { name: good, type: 'RRSIG', data: { typeCovered: 'DNSKEY', algorithm: 13, signersName: good } },
    { name: good, type: 'RRSIG', data: { typeCovered: 'SOA', algorithm: 13, signersName: good } },
    // A careless one: SPF open to all, DMARC watching only, short DKIM key, no MTA-STS, TLS-RPT,
    // CAA nor DNSSEC, and an MX that only speaks in clear text.
    soa(bad),
    { name: bad, type: 'NS', data: `ns1.${bad}` },
    { name: `ns1.${bad}`, type: 'A', data: dnsAddress },
    // For `vigie discover`: a forgotten event site, and a blog whose hosting was deleted (its
    // provider name answers NXDOMAIN); the zone transfers to anyone (axfr below).
    { name: `festival.${bad}`, type: 'A', data: mxCareless },
    { name: `blog.${bad}`, type: 'CNAME', data: 'mediatheque-blog.azurewebsites.net' },
    { name: bad, type: 'MX', data: { preference: 10, exchange: `mx.${bad}` } },
    { name: `mx.${bad}`, type: 'A', data: mxCareless },
    { name: bad, type: 'TXT', data: 'v=spf1 a mx +all' },
    { name: `_dmarc.${bad}`, type: 'TXT', data: 'v=DMARC1; p=none' },
    { name: `s2019._domainkey.${bad}`, type: 'TXT', data: `v=DKIM1; k=rsa; p=${dkimKey(512)}` },
  ];
}

async function listenPolicy(
  address: string,
  cert: Issued,
  chain: Issued[],
  good: string,
): Promise<{ port: number; close(): Promise<void> }> {
  const policy = `version: STSv1\r\nmode: enforce\r\nmx: mx.${good}\r\nmax_age: 604800\r\n`;
  const server = https.createServer({ key: cert.keyPem, cert: pemChain(cert, ...chain) }, (req, res) => {
    if (req.url === '/.well-known/mta-sts.txt') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(policy);
    } else res.writeHead(404).end();
  });
  server.on('tlsClientError', () => undefined);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => {
        server.off('error', reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  return onFixedPort(address, DEMO_MAIL_PORTS.mtaSts, async () => ({
    port: await listen(DEMO_MAIL_PORTS.mtaSts),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }));
}

/**
 * The demo's mail side: a DNS server publishing two domains (one compliant, one careless), their
 * MX hosts (with and without STARTTLS) and the compliant domain's MTA-STS policy server, all on
 * loopback, certificates from the demo CA.
 */
export async function startDemoMailEstate(
  ca: { intermediate: Issued },
  network = '127.0.0',
): Promise<DemoMailEstate> {
  const { good, careless } = DEMO_MAIL_DOMAINS;
  const at = (host: number) => `${network}.${host}`;
  const { smtp, dns: dnsPort } = DEMO_MAIL_PORTS;
  const closers: (() => Promise<void>)[] = [];
  try {
    const mxCert = await issueLeaf({ commonName: `mx.${good}`, issuer: ca.intermediate });
    const goodMx = await onFixedPort(at(HOSTS.mxGood), smtp, () =>
      startDemoSmtpServer({
        host: at(HOSTS.mxGood),
        port: smtp,
        name: `mx.${good}`,
        tls: { key: mxCert.keyPem, cert: pemChain(mxCert, ca.intermediate), ciphers: MODERN_SUITES },
      }),
    );
    closers.push(() => goodMx.close());
    const badMx = await onFixedPort(at(HOSTS.mxCareless), smtp, () =>
      startDemoSmtpServer({ host: at(HOSTS.mxCareless), port: smtp, name: `mx.${careless}` }),
    );
    closers.push(() => badMx.close());
    const policyCert = await issueLeaf({ commonName: `mta-sts.${good}`, issuer: ca.intermediate });
    const policy = await listenPolicy(at(HOSTS.mtaSts), policyCert, [ca.intermediate], good);
    closers.push(() => policy.close());
    const dns = await onFixedPort(at(HOSTS.dns), dnsPort, () =>
      startDnsServer({
        host: at(HOSTS.dns),
        port: dnsPort,
        records: zone(at(HOSTS.mtaSts), at(HOSTS.mxGood), at(HOSTS.mxCareless), at(HOSTS.dns)),
        validated: [good],
        axfr: [careless],
      }),
    );
    closers.push(() => dns.close());
    // Certificates logged for the careless domain: its forgotten event site (also in DNS), the blog
    // whose hosting was deleted, and a name seen only in certificates long expired.
    const issuer = 'C=FR, O=vigie demo, CN=vigie demo intermediate CA';
    const ct = await onFixedPort(at(HOSTS.ct), DEMO_MAIL_PORTS.ct, () =>
      listenCtSearch(at(HOSTS.ct), DEMO_MAIL_PORTS.ct, {
        [careless]: [
          {
            name_value: `festival.${careless}\nwww.festival.${careless}`,
            not_before: '2026-05-02T00:00:00',
            not_after: '2027-05-02T00:00:00',
            issuer_name: issuer,
          },
          {
            name_value: `blog.${careless}`,
            not_before: '2024-02-10T00:00:00',
            not_after: '2025-02-10T00:00:00',
            issuer_name: issuer,
          },
          {
            name_value: `inscriptions-2019.${careless}`,
            not_before: '2019-01-07T00:00:00',
            not_after: '2019-04-07T00:00:00',
            issuer_name: issuer,
          },
        ],
      }),
    );
    closers.push(() => ct.close());
    return {
      domains: [
        {
          domain: good,
          assetLabel: 'portail',
          dkimSelectors: ['mail2026'],
          flaw: 'aucun : SPF strict, DMARC p=reject, DKIM 2048 bits, MTA-STS, TLS-RPT, CAA, DNSSEC, STARTTLS',
        },
        {
          domain: careless,
          assetLabel: 'site',
          dkimSelectors: ['s2019'],
          flaw: 'SPF +all, DMARC p=none sans rapports, DKIM 512 bits, ni MTA-STS, TLS-RPT, CAA ni DNSSEC, MX sans STARTTLS',
        },
      ],
      resolver: dns.address,
      dnsPort: dns.port,
      ctUrl: ct.url,
      ports: { smtp: goodMx.port, mtaSts: policy.port },
      close: async () => {
        await Promise.all(closers.map((c) => c()));
      },
    };
  } catch (error) {
    await Promise.all(closers.map((c) => c()));
    throw error;
  }
}
