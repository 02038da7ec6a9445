import type { X509Certificate } from 'node:crypto';
import pLimit from 'p-limit';
import {
  failed,
  isMtaStsRecord,
  isSpfRecord,
  observed,
  skipped,
  SPF_WALK_MAX_LOOKUPS,
  walkSpf,
  type CaaObservation,
  type DnsQueryType,
  type DnsRecord,
  type DnsServerAddress,
  type DnssecObservation,
  type DomainObservation,
  type MtaStsObservation,
  type MxHost,
  type Outcome,
  type SpfObservation,
  type SpfTargetAnswer,
} from '../../domain/index.js';
import { fetchMtaStsPolicy } from '../http/index.js';
import { dnsQuery, formatResolverAddress } from './dns-client.js';

export interface DomainProbeOptions {
  resolver: DnsServerAddress;
  /** The resolver validates DNSSEC: its AD bit and its SERVFAIL on bogus zones mean something. */
  validating: boolean;
  /** Per DNS query and per HTTPS request. */
  timeoutMs: number;
  trustAnchors: readonly X509Certificate[];
  /** Port of the MTA-STS policy server: 443 (another port only for the demo estate and the tests). */
  mtaStsPort?: number;
  /** DNS queries in flight at once for this domain. */
  queriesAtOnce?: number;
}

/** A response code that is neither an answer nor "no such name": the lookup could not be made. */
const rcodeError = (rcode: string, type: DnsQueryType, name: string, server: DnsServerAddress) =>
  failed('dns', `${rcode} pour ${type} ${name} (résolveur ${formatResolverAddress(server)})`);

type Lookup = (name: string, type: DnsQueryType) => Promise<Outcome<DnsRecord[]>>;

/**
 * The records of one name and type: NXDOMAIN and an empty answer are "none"; SERVFAIL, REFUSED and
 * timeouts are errors — "could not tell" is never "missing".
 */
function makeLookup(opts: DomainProbeOptions): Lookup {
  const limit = pLimit(opts.queriesAtOnce ?? 4);
  return (name, type) =>
    limit(async () => {
      const r = await dnsQuery(name, type, { server: opts.resolver, timeoutMs: opts.timeoutMs });
      if (r.status !== 'observed') return r;
      const { rcode, answers } = r.value;
      if (rcode === 'NXDOMAIN') return observed([]);
      if (rcode !== 'NOERROR') {
        return rcodeError(rcode, type, name, opts.resolver);
      }
      return observed(answers.filter((a) => a.type === type));
    });
}

const txtOf = (records: DnsRecord[]): string[] => records.flatMap((r) => (r.type === 'TXT' ? [r.text] : []));

async function txt(lookup: Lookup, name: string): Promise<Outcome<string[]>> {
  const r = await lookup(name, 'TXT');
  return r.status === 'observed' ? observed(txtOf(r.value)) : r;
}

/**
 * The SPF records of the domain, and what walking them as a receiver needs (RFC 7208 §4.6.4): the
 * TXT records of each include and redirect target, one at a time in evaluation order (at most
 * SPF_WALK_MAX_LOOKUPS, the first failure ends the walk as an error); then the A, AAAA and MX
 * records of the `a`, `mx` and `exists` targets among the first 10 lookups (at most 20 questions,
 * asked together, each failure kept as the answer to that question).
 */
async function observeSpf(lookup: Lookup, domain: string): Promise<Outcome<SpfObservation>> {
  const apex = await txt(lookup, domain);
  if (apex.status !== 'observed') return apex;
  const records = apex.value.filter(isSpfRecord);
  const result: SpfObservation = {
    records,
    lookups: 0,
    trail: [],
    brokenIncludes: [],
    included: {},
    targets: {},
  };
  if (records.length !== 1) return observed(result);
  const record = records[0]!;
  let walk = walkSpf(domain, record, result);
  for (let fetched = 0; walk.missing !== undefined && fetched <= SPF_WALK_MAX_LOOKUPS; fetched++) {
    const name = walk.missing;
    const included = await txt(lookup, name);
    if (included.status !== 'observed') return included;
    result.included[name] = included.value;
    walk = walkSpf(domain, record, result);
  }
  if (walk.missing !== undefined) {
    return failed('internal', `parcours SPF de ${domain} inachevé : ${walk.missing} non lu`);
  }
  if (walk.questions.length > 0) {
    const answers = await Promise.all(
      walk.questions.map(async (question) => {
        const [type, name] = question.split(' ') as ['A' | 'AAAA' | 'MX', string];
        const r = await lookup(name, type);
        const answer: SpfTargetAnswer =
          r.status === 'observed'
            ? { status: 'answered', count: r.value.length }
            : r.status === 'error'
              ? { status: 'error', reason: r.reason, detail: r.detail }
              : { status: 'error', reason: 'internal', detail: r.because };
        return [question, answer] as const;
      }),
    );
    for (const [question, answer] of answers) result.targets[question] = answer;
    walk = walkSpf(domain, record, result);
  }
  return observed({
    ...result,
    lookups: walk.lookups,
    trail: walk.trail,
    brokenIncludes: walk.brokenIncludes,
  });
}

/** MX hosts by preference, each with its addresses (A, or AAAA when it has no A). */
async function observeMx(
  lookup: Lookup,
  domain: string,
): Promise<Outcome<{ hosts: MxHost[]; nullMx: boolean }>> {
  const r = await lookup(domain, 'MX');
  if (r.status !== 'observed') return r;
  const mx = r.value
    .flatMap((a) => (a.type === 'MX' ? [{ preference: a.preference, exchange: a.exchange }] : []))
    .sort((a, b) => a.preference - b.preference || a.exchange.localeCompare(b.exchange));
  const nullMx = mx.length === 1 && (mx[0]!.exchange === '' || mx[0]!.exchange === '.');
  if (nullMx) return observed({ hosts: [], nullMx: true });
  const hosts: MxHost[] = [];
  for (const m of mx) {
    const exchange = m.exchange.toLowerCase().replace(/\.$/, '');
    let addresses: string[] = [];
    for (const type of ['A', 'AAAA'] as const) {
      const a = await lookup(exchange, type);
      if (a.status !== 'observed') return a;
      addresses = a.value.flatMap((x) => (x.type === 'A' || x.type === 'AAAA' ? [x.address] : []));
      if (addresses.length > 0) break;
    }
    hosts.push({ preference: m.preference, exchange, addresses });
  }
  return observed({ hosts, nullMx: false });
}

/** The CAA set that applies: the domain's, or its closest ancestor's (RFC 8659 §3), up to the TLD. */
async function observeCaa(lookup: Lookup, domain: string): Promise<Outcome<CaaObservation>> {
  const labels = domain.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const name = labels.slice(i).join('.');
    const r = await lookup(name, 'CAA');
    if (r.status !== 'observed') return r;
    const records = r.value.flatMap((a) =>
      a.type === 'CAA' ? [{ flags: a.flags, tag: a.tag, value: a.value }] : [],
    );
    if (records.length > 0) return observed({ owner: name, records });
  }
  return observed({ records: [] });
}

/**
 * Whether the zone holding the domain is signed, and what the resolver makes of it. The zone apex
 * is the closest name with an SOA of its own; a validating resolver answers SERVFAIL for a bogus
 * zone, which the same question with checking disabled (CD) tells apart from a broken server.
 */
async function observeDnssec(domain: string, opts: DomainProbeOptions): Promise<Outcome<DnssecObservation>> {
  const ask = (name: string, type: DnsQueryType, cd = false) =>
    dnsQuery(name, type, {
      server: opts.resolver,
      timeoutMs: opts.timeoutMs,
      dnssec: true,
      ...(cd ? { checkingDisabled: true } : {}),
    });
  const labels = domain.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const name = labels.slice(i).join('.');
    const soa = await ask(name, 'SOA');
    if (soa.status !== 'observed') return soa;
    let bogus = false;
    let answer = soa.value;
    if (answer.rcode === 'SERVFAIL' && opts.validating) {
      const unchecked = await ask(name, 'SOA', true);
      if (unchecked.status !== 'observed') return unchecked;
      if (unchecked.value.rcode !== 'NOERROR') {
        return rcodeError(unchecked.value.rcode, 'SOA', name, opts.resolver);
      }
      bogus = true;
      answer = unchecked.value;
    }
    if (answer.rcode === 'NXDOMAIN') return failed('dns', `le domaine ${name} n’existe pas (NXDOMAIN)`);
    if (answer.rcode !== 'NOERROR') {
      return rcodeError(answer.rcode, 'SOA', name, opts.resolver);
    }
    const apex = answer.answers.some((a) => a.type === 'SOA' && a.name === name);
    if (!apex) continue;
    const keys = await ask(name, 'DNSKEY', bogus);
    if (keys.status !== 'observed') return keys;
    if (keys.value.rcode !== 'NOERROR') {
      return rcodeError(keys.value.rcode, 'DNSKEY', name, opts.resolver);
    }
    const dnskeys = keys.value.answers.filter((a) => a.type === 'DNSKEY').length;
    const signed =
      dnskeys > 0 && keys.value.answers.some((a) => a.type === 'RRSIG' && a.typeCovered === 'DNSKEY');
    const validation: DnssecObservation['validation'] = !opts.validating
      ? 'not-checked'
      : bogus
        ? 'bogus'
        : keys.value.authenticated && soa.value.authenticated
          ? 'validated'
          : 'not-validated';
    return observed({ dnskeys, signed, validation });
  }
  return failed('dns', `aucune zone (SOA) trouvée pour ${domain}`);
}

async function observeMtaSts(
  lookup: Lookup,
  domain: string,
  opts: DomainProbeOptions,
): Promise<DomainObservation['mtaSts']> {
  const records = await txt(lookup, `_mta-sts.${domain}`);
  if (records.status !== 'observed') return records;
  const sts = records.value.filter(isMtaStsRecord);
  if (sts.length === 0) return observed({ records: records.value });
  const host = `mta-sts.${domain}`;
  const addresses = await lookup(host, 'A');
  if (addresses.status !== 'observed') return observed({ records: records.value, policy: addresses });
  const address = addresses.value.find((a) => a.type === 'A');
  if (!address || address.type !== 'A') {
    return observed({
      records: records.value,
      policy: failed('dns', `${host} n’a pas d’adresse : la politique ne peut pas être servie`),
    });
  }
  const policy = await fetchMtaStsPolicy(
    { host, address: address.address, port: opts.mtaStsPort ?? 443 },
    { timeoutMs: opts.timeoutMs, trustAnchors: opts.trustAnchors },
  );
  return observed({ records: records.value, policy });
}

/**
 * Observes the DNS and mail posture of one domain through the configured resolver: SPF (with its
 * lookup count), DMARC, MX hosts, MTA-STS (record and policy), TLS-RPT, DKIM keys of the given
 * selectors, CAA and DNSSEC. Each lookup ends on its own; never throws.
 */
export async function observeDomain(
  domain: string,
  dkimSelectors: readonly string[],
  opts: DomainProbeOptions,
): Promise<DomainObservation> {
  const lookup = makeLookup(opts);
  const [spf, dmarc, mx, tlsRpt, caa, dnssec, dkim] = await Promise.all([
    observeSpf(lookup, domain),
    txt(lookup, `_dmarc.${domain}`),
    observeMx(lookup, domain),
    txt(lookup, `_smtp._tls.${domain}`),
    observeCaa(lookup, domain),
    observeDnssec(domain, opts),
    Promise.all(
      dkimSelectors.map(async (selector) => ({
        selector,
        records: await txt(lookup, `${selector}._domainkey.${domain}`),
      })),
    ),
  ]);
  const receivesMail = mx.status === 'observed' && !mx.value.nullMx && mx.value.hosts.length > 0;
  const mtaSts =
    mx.status === 'observed' && !receivesMail
      ? skipped<MtaStsObservation>('le domaine ne reçoit pas de courriel (pas de MX)')
      : await observeMtaSts(lookup, domain, opts);
  return { domain, spf, dmarc, mx, mtaSts, tlsRpt, dkim, caa, dnssec };
}
