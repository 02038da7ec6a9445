import { customRegex } from './custom-matchers.js';

/** Where a name was found. */
export const DISCOVERY_SOURCES = ['ct', 'dns', 'axfr', 'network'] as const;
export type DiscoverySource = (typeof DISCOVERY_SOURCES)[number];

/**
 * What a discovered name is: listed in the inventory (`known`), resolving but not listed (`new`), a
 * CNAME to a third-party resource that no longer exists (`dangling`), or not resolving (`unresolved`).
 */
export const DISCOVERY_CLASSES = ['known', 'new', 'dangling', 'unresolved'] as const;
export type DiscoveryClass = (typeof DISCOVERY_CLASSES)[number];

/** A name seen by one or several sources before it is resolved. */
export interface CandidateName {
  /** Lower-case, no trailing dot; a wildcard `*.x` is folded into `x`. */
  name: string;
  /** The organisation's domain it belongs to (or the address range it was found in). */
  domain: string;
  sources: DiscoverySource[];
  /** CT: only seen in certificates that have all expired. */
  expiredOnly?: boolean;
  /** CT: seen as a wildcard (`*.name`). */
  wildcard?: boolean;
  /** Network sweep: addresses and open ports where it answered. */
  addresses?: string[];
  openPorts?: number[];
}

/** How a source ended: what it found, or why it failed (a failed source never means "found nothing"). */
export type SourceReport =
  | { source: DiscoverySource; domain: string; status: 'ok'; names: number; detail?: string }
  | { source: DiscoverySource; domain: string; status: 'failed'; reason: string; detail: string };

/** A takeover fingerprint of a third-party provider (one entry of checks/takeover.yaml). */
export interface TakeoverProvider {
  id: string;
  name: string;
  /** CNAME target suffixes (lower-case, compared label-wise: `github.io` matches `x.github.io`). */
  cname: string[];
  /** Optional RE2 expression on the CNAME target, for providers whose names vary (regional S3 endpoints). */
  cnameRegex?: string;
  /** NXDOMAIN on the target proves the resource is gone. */
  nxdomain: boolean;
  /** The provider's "no such site" answer over HTTP. */
  http?: { status?: number[]; body: string };
  /** Known to let anyone claim the freed name (severity stays critical); otherwise high. */
  takeover: boolean;
  references: string[];
}

/** What was observed at the end of a CNAME chain, for the fingerprints. */
export interface TakeoverObservation {
  /** The last CNAME target of the chain. */
  target: string;
  /** rcode of the address question on the target (`NXDOMAIN`, `NOERROR` …), undefined when not observed. */
  targetRcode?: string;
  /** The HTTP answer of the name, when one was asked for. */
  http?: { status: number; body: string };
}

export type TakeoverVerdict =
  | { verdict: 'dangling'; provider: TakeoverProvider; rule: 'nxdomain' | 'http' }
  | { verdict: 'alive'; provider: TakeoverProvider }
  /** The provider matched but its fingerprint could not be observed (no HTTP answer): never "alive". */
  | { verdict: 'undetermined'; provider: TakeoverProvider; because: string }
  | { verdict: 'no-provider' };

/** `x.github.io` under `github.io`; `github.io` itself too. */
export function underSuffix(name: string, suffix: string): boolean {
  const s = suffix.toLowerCase().replace(/^\.+|\.+$/g, '');
  return name === s || name.endsWith(`.${s}`);
}

/** The provider whose CNAME pattern the target matches, if any (first match in file order). */
export function providerFor(
  target: string,
  providers: readonly TakeoverProvider[],
): TakeoverProvider | undefined {
  const t = normaliseDnsName(target);
  return providers.find(
    (p) =>
      p.cname.some((s) => underSuffix(t, s)) ||
      (p.cnameRegex !== undefined && customRegex(p.cnameRegex).matcher(t).find()),
  );
}

/** Applies a provider's fingerprint (NXDOMAIN rule, then HTTP status and body) to what was observed. */
export function judgeTakeover(
  obs: TakeoverObservation,
  providers: readonly TakeoverProvider[],
): TakeoverVerdict {
  const provider = providerFor(obs.target, providers);
  if (provider === undefined) return { verdict: 'no-provider' };
  if (provider.nxdomain && obs.targetRcode === 'NXDOMAIN') {
    return { verdict: 'dangling', provider, rule: 'nxdomain' };
  }
  if (provider.http !== undefined) {
    if (obs.http === undefined) return { verdict: 'undetermined', provider, because: 'http-not-observed' };
    const statusOk = provider.http.status === undefined || provider.http.status.includes(obs.http.status);
    if (statusOk && customRegex(provider.http.body).matcher(obs.http.body).find()) {
      return { verdict: 'dangling', provider, rule: 'http' };
    }
    return { verdict: 'alive', provider };
  }
  if (obs.targetRcode === undefined)
    return { verdict: 'undetermined', provider, because: 'dns-not-observed' };
  return { verdict: 'alive', provider };
}

/** Lower-case, no trailing dot. */
export function normaliseDnsName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** A host name vigie accepts from the outside world: LDH labels (and `_` for SRV-style names), ≤ 253 bytes. */
export function isDiscoverableName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((l) => LABEL.test(l));
}

/** `name` is `domain` or below it. */
export function inDomain(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

/** One entry of a crt.sh-compatible answer, as read (other fields ignored). */
export interface CtEntry {
  name_value: string;
  not_after?: string;
}

/**
 * Names of CT entries under `domain`: split on newlines, lower-cased, wildcards folded into their
 * base name, duplicates merged, names outside the domain or malformed dropped; a name is
 * `expiredOnly` when every certificate naming it has expired at `now`.
 */
export function foldCtNames(
  entries: readonly CtEntry[],
  domain: string,
  now: Date,
): { name: string; expiredOnly: boolean; wildcard: boolean }[] {
  const byName = new Map<string, { live: boolean; wildcard: boolean }>();
  const nowMs = now.getTime();
  for (const entry of entries) {
    if (typeof entry.name_value !== 'string') continue;
    const notAfter = typeof entry.not_after === 'string' ? Date.parse(entry.not_after) : NaN;
    // A date that cannot be read is not proof of expiry.
    const live = Number.isNaN(notAfter) || notAfter >= nowMs;
    for (const raw of entry.name_value.split('\n')) {
      let name = normaliseDnsName(raw);
      let wildcard = false;
      if (name.startsWith('*.')) {
        name = name.slice(2);
        wildcard = true;
      }
      if (!isDiscoverableName(name) || !inDomain(name, domain)) continue;
      const seen = byName.get(name);
      if (seen === undefined) byName.set(name, { live, wildcard });
      else {
        seen.live ||= live;
        seen.wildcard ||= wildcard;
      }
    }
  }
  return [...byName.entries()]
    .map(([name, v]) => ({ name, expiredOnly: !v.live, wildcard: v.wildcard }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Largest IPv4 range `discovery.networks` may declare (a /22). */
export const MAX_NETWORK_ADDRESSES = 1024;

/** Parses an IPv4 CIDR (`192.0.2.0/24`) into its first address and size; undefined when not one. */
export function parseIpv4Cidr(text: string): { base: number; size: number; prefix: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (m === null) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address =
    (((octets[0] ?? 0) << 24) | ((octets[1] ?? 0) << 16) | ((octets[2] ?? 0) << 8) | (octets[3] ?? 0)) >>> 0;
  const size = 2 ** (32 - prefix);
  const base = prefix === 0 ? 0 : (address & (~(size - 1) >>> 0)) >>> 0;
  return { base, size, prefix };
}

/** Every address of a range (the caller has checked its size). */
export function ipv4Addresses(range: { base: number; size: number }): string[] {
  const out: string[] = [];
  for (let i = 0; i < range.size; i++) {
    const n = range.base + i;
    out.push([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'));
  }
  return out;
}

/** A discovered name once resolved and classified (the `--json` contract). */
export interface DiscoveredName {
  name: string;
  domain: string;
  class: DiscoveryClass;
  sources: DiscoverySource[];
  /** Asset of the inventory that lists it (known names). */
  assetId?: string;
  addresses: string[];
  /** The CNAME chain followed, in order. */
  cnames: string[];
  expiredOnly?: boolean;
  wildcard?: boolean;
  openPorts?: number[];
  /** Dangling: the provider and the rule that proved it. */
  takeover?: { provider: string; providerName: string; rule: 'nxdomain' | 'http'; claimable: boolean };
  /** Why a name is unresolved (NXDOMAIN, no address, CNAME loop …). */
  detail?: string;
  firstSeen: string;
  lastSeen: string;
}

/** Check IDs `vigie discover` raises (their text is in checks/catalogue.yaml). */
export const DISCOVERY_CHECK_IDS = [
  'inventory.unlisted',
  'dns.takeover.possible',
  'dns.axfr.open',
  'dns.ns.lame',
] as const;
