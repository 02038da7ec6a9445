import type { ErrorReason, Outcome } from './outcome.js';

/** A DNS server to query: an IP address and a port (53 unless configured otherwise). */
export interface DnsServerAddress {
  host: string;
  port: number;
}

/** The record types vigie asks for. */
export const DNS_QUERY_TYPES = [
  'A',
  'AAAA',
  'TXT',
  'MX',
  'CAA',
  'DNSKEY',
  'SOA',
  'NS',
  'CNAME',
  'SRV',
  'PTR',
] as const;
export type DnsQueryType = (typeof DNS_QUERY_TYPES)[number];

/** One resource record of an answer section, decoded into what the checks need. */
export type DnsRecord =
  | { type: 'A' | 'AAAA'; name: string; ttl: number; address: string }
  /** The character-strings of one TXT record, concatenated without separator (RFC 7208 §3.3). */
  | { type: 'TXT'; name: string; ttl: number; text: string }
  | { type: 'MX'; name: string; ttl: number; preference: number; exchange: string }
  | { type: 'CAA'; name: string; ttl: number; flags: number; tag: string; value: string }
  | { type: 'CNAME'; name: string; ttl: number; target: string }
  /** A delegation (NS) or a reverse name (PTR): the name it points to, lower-case, no trailing dot. */
  | { type: 'NS' | 'PTR'; name: string; ttl: number; target: string }
  | { type: 'SRV'; name: string; ttl: number; target: string; port: number }
  | { type: 'DNSKEY'; name: string; ttl: number; flags: number; algorithm: number }
  | { type: 'RRSIG'; name: string; ttl: number; typeCovered: string; algorithm: number; signerName: string }
  | { type: 'SOA'; name: string; ttl: number; mname: string }
  | { type: 'OTHER'; name: string; ttl: number; rrtype: string };

/** A response as received: any rcode is an observation; the caller decides what SERVFAIL means. */
export interface DnsResponse {
  /** `NOERROR`, `NXDOMAIN`, `SERVFAIL`, `REFUSED` … */
  rcode: string;
  /** The AD bit: a validating resolver vouches for the answer (RFC 4035 §3.2.3). */
  authenticated: boolean;
  /** Answer section (RRSIGs included when DNSSEC records were asked for). */
  answers: DnsRecord[];
  /** Transport of the answer used: TCP after a truncated UDP answer. */
  transport: 'udp' | 'tcp';
}

/** An MX host of a domain and the addresses its name resolves to. */
export interface MxHost {
  preference: number;
  /** Lower-case, without the trailing dot. */
  exchange: string;
  addresses: string[];
}

/** The question an SPF term asks about its target: `A foo.example`, `AAAA foo.example`, `MX foo.example`. */
export type SpfTargetQuestion = `${'A' | 'AAAA' | 'MX'} ${string}`;

/**
 * What one target question got: how many records of the type (0: NXDOMAIN or an empty answer, a
 * "void lookup" of RFC 7208 §4.6.4), or why it could not be answered.
 */
export type SpfTargetAnswer =
  { status: 'answered'; count: number } | { status: 'error'; reason: ErrorReason; detail: string };

/** The SPF policy of a domain: its `v=spf1` TXT records and the DNS lookups evaluating them would take. */
export interface SpfObservation {
  /** TXT records at the domain that are SPF records (`v=spf1`), as published. */
  records: string[];
  /** DNS-querying terms (include, a, mx, ptr, exists, redirect) counted through includes and redirects. */
  lookups: number;
  /** Each counted term with where it was found, e.g. `exemple.fr: include:_spf.prestataire.fr`. */
  trail: string[];
  /** Included or redirected domains that publish no usable SPF record (a permanent error in RFC 7208). */
  brokenIncludes: string[];
  /**
   * Every TXT record (SPF or not) of each include and redirect target followed, by lower-case name
   * without the trailing dot; an empty list is NXDOMAIN or no TXT at all.
   */
  included: Record<string, string[]>;
  /** Answers to the A, AAAA and MX questions of the `a`, `mx` and `exists` terms a receiver evaluates. */
  targets: Partial<Record<SpfTargetQuestion, SpfTargetAnswer>>;
}

export interface MtaStsObservation {
  /** TXT records at `_mta-sts.<domain>`. */
  records: string[];
  /** The policy file, fetched only when a record is present. */
  policy?: Outcome<{ url: string; status: number; contentType: string; body: string }>;
}

export interface DnssecObservation {
  /** DNSKEY records at the zone apex. */
  dnskeys: number;
  /** An RRSIG covers the DNSKEY set. */
  signed: boolean;
  /**
   * What the validating resolver said: `validated` (AD bit), `not-validated` (answered without AD),
   * `bogus` (SERVFAIL, but an answer with checking disabled), `not-checked` (no validating resolver).
   */
  validation: 'validated' | 'not-validated' | 'bogus' | 'not-checked';
}

export interface CaaObservation {
  /** The name whose CAA set applies (the domain or the closest ancestor with one, RFC 8659 §3). */
  owner?: string;
  records: { flags: number; tag: string; value: string }[];
}

/** Everything observed about one domain; each lookup ends on its own as observed, error or skipped. */
export interface DomainObservation {
  domain: string;
  spf: Outcome<SpfObservation>;
  /** TXT records at `_dmarc.<domain>`. */
  dmarc: Outcome<string[]>;
  /** MX hosts, by preference; a null MX (`0 .`) gives an empty list and `nullMx`. */
  mx: Outcome<{ hosts: MxHost[]; nullMx: boolean }>;
  mtaSts: Outcome<MtaStsObservation>;
  /** TXT records at `_smtp._tls.<domain>`. */
  tlsRpt: Outcome<string[]>;
  /** TXT records at `<selector>._domainkey.<domain>` for each selector of the inventory. */
  dkim: { selector: string; records: Outcome<string[]> }[];
  caa: Outcome<CaaObservation>;
  dnssec: Outcome<DnssecObservation>;
}

/** A domain to assess, from the inventory (`domains:` of an asset) or the command line. */
export interface DomainTarget {
  /** Lower-case, without the trailing dot. */
  domain: string;
  assetId?: string;
  /** DKIM selectors to verify at `<selector>._domainkey.<domain>`. */
  dkimSelectors: readonly string[];
}
