import type { HelloResult, TlsEnumeration, TlsVersionId } from '../../domain/tls.js';
import {
  CIPHER_SUITES,
  SSL2_CIPHER_SPECS,
  suiteAllowedIn,
  suiteName,
  type CipherSuite,
} from '../../domain/cipher-suites.js';
import { EXTENSION_TYPE, GROUP, groupName, HYBRID_GROUPS } from './client-hello.js';

/** Most handshakes one endpoint's enumeration may cost. */
export const ENUMERATION_BUDGET = 60;
/** Compression method DEFLATE (RFC 3749). */
const DEFLATE = 1;

/** One raw ClientHello with the enumeration's options; resolves, never rejects. */
export type EnumerationHello = (
  version: TlsVersionId,
  suites: readonly number[],
  extra: {
    want?: 'hello' | 'key-exchange';
    groups?: readonly number[];
    keyShares?: 'x25519' | 'none';
    compression?: readonly number[];
    statusRequest?: boolean;
  },
) => Promise<HelloResult>;

/** Preference of the broadest offer: a server that follows the client's order picks a strong suite. */
function offerRank(s: CipherSuite): number {
  if (s.kex === 'TLS13') return 0;
  if (s.null || s.anon || s.export) return 5;
  if (s.aead && s.forwardSecrecy) return 1;
  if (s.forwardSecrecy) return 2;
  return s.aead ? 3 : 4;
}

const offers = new Map<TlsVersionId, number[]>();

/**
 * Every suite the version allows, strongest first, so the server's own choice shows. The version
 * probe and the enumeration offer it alike: the version probe's answer is the enumeration's first pick.
 */
export function fullOffer(version: TlsVersionId): readonly number[] {
  let offer = offers.get(version);
  if (!offer) {
    offer =
      version === 'ssl2'
        ? SSL2_CIPHER_SPECS.map((s) => s.code)
        : CIPHER_SUITES.filter((s) => suiteAllowedIn(s.code, version))
            .sort((a, b) => offerRank(a) - offerRank(b))
            .map((s) => s.code);
    offers.set(version, offer);
  }
  return offer;
}

/** What an enumeration covers: everything, or only whether a post-quantum hybrid group is accepted. */
export type EnumerationScope = 'full' | 'post-quantum';

export interface EnumerateOptions {
  /** Versions the server negotiated (only those of TLS 1.0 – 1.3 are enumerated). */
  accepted: readonly TlsVersionId[];
  /**
   * The suite each version's probe already got when offered `fullOffer(version)`: the enumeration
   * takes it as its first pick instead of asking again.
   */
  seen?: Partial<Record<TlsVersionId, number>>;
  /**
   * `full` (default): suites, order, groups, compression, renegotiation, stapling. `post-quantum`:
   * one TLS 1.3 hello offering only the hybrid groups; everything else stays null (not observed).
   */
  scope?: EnumerationScope;
  /** Handshake budget (default ENUMERATION_BUDGET). */
  budget?: number;
  /** Wall-clock bound of the whole enumeration, in ms. */
  timeBoundMs: number;
  /** Injected clock (ms). */
  now?: () => number;
}

/** Groups offered when enumerating TLS 1.3: hybrids first, then the classical ones. */
const TLS13_GROUPS: readonly number[] = [
  ...HYBRID_GROUPS,
  GROUP.x25519,
  GROUP.x448,
  GROUP.secp256r1,
  GROUP.secp384r1,
  GROUP.secp521r1,
  GROUP.brainpoolP256r1tls13,
  GROUP.brainpoolP384r1tls13,
  GROUP.brainpoolP512r1tls13,
  GROUP.ffdhe2048,
  GROUP.ffdhe3072,
  GROUP.ffdhe4096,
  GROUP.ffdhe6144,
  GROUP.ffdhe8192,
];
/** Curves offered when enumerating ECDHE in TLS ≤ 1.2 (finite-field groups show as the DH prime size). */
const TLS12_CURVES: readonly number[] = [
  GROUP.x25519,
  GROUP.x448,
  GROUP.secp256r1,
  GROUP.secp384r1,
  GROUP.secp521r1,
  GROUP.brainpoolP256r1,
  GROUP.brainpoolP384r1,
  GROUP.brainpoolP512r1,
];

const ENUMERATED: readonly TlsVersionId[] = ['tls1.3', 'tls1.2', 'tls1.1', 'tls1.0'];

/**
 * Enumerates, within a handshake budget and a time bound, what an endpoint accepts: the suites of
 * each version (offer everything, remove what the server picked, again until it refuses: the
 * picks come in the server's order when it has one), whether it imposes its order (the accepted
 * suites offered reversed), its key-exchange groups including the post-quantum hybrids (TLS 1.3:
 * no key share, so the server names its group in a HelloRetryRequest), compression, secure
 * renegotiation and OCSP stapling (read from the first TLS ≤ 1.2 answer). Never throws; what the
 * bounds cut short is marked `truncated`, and what was not seen stays null.
 */
export async function enumerateTls(hello: EnumerationHello, opts: EnumerateOptions): Promise<TlsEnumeration> {
  const now = opts.now ?? Date.now;
  const deadline = now() + opts.timeBoundMs;
  let left = opts.budget ?? ENUMERATION_BUDGET;
  const result: TlsEnumeration = {
    handshakes: 0,
    truncated: false,
    versions: {},
    groups: null,
    postQuantum: null,
    compression: null,
    secureRenegotiation: null,
    ocspStapling: null,
  };
  /** One handshake from the budget, or undefined (and truncated) when the bounds are spent. */
  const spend = async (...args: Parameters<EnumerationHello>): Promise<HelloResult | undefined> => {
    if (left <= 0 || now() >= deadline) {
      result.truncated = true;
      return undefined;
    }
    left--;
    result.handshakes++;
    return hello(...args);
  };

  if (opts.scope === 'post-quantum') {
    // Without TLS 1.3 no hybrid can be negotiated: that is observed, not guessed.
    if (!opts.accepted.includes('tls1.3')) result.postQuantum = false;
    else {
      const r = await spend('tls1.3', fullOffer('tls1.3'), { groups: HYBRID_GROUPS, keyShares: 'none' });
      if (r?.kind === 'rejected') result.postQuantum = false;
      else if (r?.kind === 'accepted' && r.version === 'tls1.3' && r.group !== undefined)
        result.postQuantum = HYBRID_GROUPS.includes(r.group) ? true : null;
    }
    return result;
  }

  const versions = ENUMERATED.filter((v) => opts.accepted.includes(v));
  const legacy = versions.find((v) => v !== 'tls1.3');

  /** Compression, secure renegotiation and stapling, read from one TLS ≤ 1.2 answer. */
  const readExtras = (r: Extract<HelloResult, { kind: 'accepted' }>): void => {
    const exts = r.extensions ?? [];
    result.compression = r.compression !== undefined ? r.compression !== 0 : null;
    result.secureRenegotiation = exts.includes(EXTENSION_TYPE.renegotiationInfo);
    result.ocspStapling = exts.includes(EXTENSION_TYPE.statusRequest);
  };

  // Each version's suites, and the groups, side by side (the caller bounds the connections at once).
  // TLS 1.3 is asked without a key share: the server names its suite in a HelloRetryRequest, which
  // costs it no signature.
  const suitesOf = async (version: TlsVersionId): Promise<void> => {
    let remaining = [...fullOffer(version)];
    const picked: number[] = [];
    /** What was offered when each pick was made, in offer order. */
    const offered: number[][] = [];
    const take = (suite: number): void => {
      offered.push(remaining);
      picked.push(suite);
      remaining = remaining.filter((c) => c !== suite);
    };
    const seen = opts.seen?.[version];
    if (seen !== undefined && remaining.includes(seen)) take(seen);
    const tls13 = version === 'tls1.3' ? { keyShares: 'none' as const } : {};
    let extrasRead = version !== legacy;
    while (remaining.length > 0) {
      const withExtras = !extrasRead;
      const extra = withExtras ? { compression: [DEFLATE], statusRequest: true } : { statusRequest: false };
      const r = await spend(version, remaining, { ...extra, ...tls13 });
      if (r === undefined) break;
      // An error says nothing of what remains: the list is not known to be complete.
      if (r.kind === 'error') result.truncated = true;
      if (r.kind !== 'accepted' || r.version !== version || !remaining.includes(r.suite)) break;
      if (withExtras) {
        readExtras(r);
        extrasRead = true;
      }
      take(r.suite);
    }
    // The only suite was the version probe's: compression, renegotiation and stapling still to read.
    if (!extrasRead && picked[0] !== undefined) {
      const r = await spend(version, [picked[0]], { compression: [DEFLATE], statusRequest: true });
      if (r?.kind === 'accepted' && r.version === version) readExtras(r);
    }
    let serverOrder: boolean | null = null;
    if (picked.length >= 2) {
      // A server following the client's order picks the first offered suite it accepts: a pick that
      // is not proves the server's own order without another handshake.
      const accepted = new Set(picked);
      const ownOrder = offered.some((o, i) => o.find((c) => accepted.has(c)) !== picked[i]);
      if (ownOrder) serverOrder = true;
      else {
        const r = await spend(version, [...picked].reverse(), { ...tls13 });
        if (r?.kind === 'accepted' && r.version === version) {
          if (r.suite === picked[0]) serverOrder = true;
          else if (r.suite === picked[picked.length - 1]) serverOrder = false;
        }
      }
    }
    result.versions[version] = { suites: picked.map(suiteName), serverOrder };
  };

  // Groups: TLS 1.3 when spoken (hybrids are TLS 1.3 only), else ECDHE curves of the legacy version.
  const groupsOf = async (groupVersion: TlsVersionId): Promise<void> => {
    const ecdhe =
      groupVersion === 'tls1.3'
        ? CIPHER_SUITES.filter((s) => suiteAllowedIn(s.code, 'tls1.3')).map((s) => s.code)
        : CIPHER_SUITES.filter((s) => s.kex === 'ECDHE' && suiteAllowedIn(s.code, groupVersion)).map(
            (s) => s.code,
          );
    let remaining = [...(groupVersion === 'tls1.3' ? TLS13_GROUPS : TLS12_CURVES)];
    const found: number[] = [];
    let complete = false;
    while (remaining.length > 0) {
      const r = await spend(groupVersion, ecdhe, {
        groups: remaining,
        ...(groupVersion === 'tls1.3' ? { keyShares: 'none' as const } : { want: 'key-exchange' as const }),
      });
      if (r === undefined) break;
      if (r.kind !== 'accepted' || r.group === undefined || !remaining.includes(r.group)) {
        complete = r.kind === 'rejected' || r.kind === 'accepted';
        break;
      }
      found.push(r.group);
      remaining = remaining.filter((g) => g !== r.group);
      if (remaining.length === 0) complete = true;
    }
    if (complete || found.length > 0) {
      result.groups = found.map(groupName);
      result.groupsVersion = groupVersion;
    }
    const hybrid = found.some((g) => HYBRID_GROUPS.includes(g));
    // Without TLS 1.3 no hybrid can be negotiated: that is observed, not guessed.
    if (hybrid) result.postQuantum = true;
    else if (groupVersion !== 'tls1.3' || complete) result.postQuantum = false;
  };

  const groupVersion = versions.includes('tls1.3') ? 'tls1.3' : legacy;
  await Promise.all([
    ...versions.map(suitesOf),
    groupVersion === undefined ? undefined : groupsOf(groupVersion),
  ]);
  if (groupVersion === undefined && !result.truncated) result.postQuantum = false;
  // Object key order: newest version first, whatever order the answers came in.
  result.versions = Object.fromEntries(
    versions.filter((v) => result.versions[v] !== undefined).map((v) => [v, result.versions[v]]),
  );
  return result;
}
