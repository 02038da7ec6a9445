import { isIP } from 'node:net';
import type { X509Certificate } from 'node:crypto';
import pLimit from 'p-limit';
import {
  failed,
  observed,
  throughGate,
  type ConnectionGate,
  SUITE_CLASSES,
  TLS_VERSION_LABEL,
  type Endpoint,
  type ErrorReason,
  type HelloResult,
  type Outcome,
  type SuiteClass,
  type SuiteClassResult,
  type TlsObservation,
  type TlsVersionId,
} from '../../domain/index.js';
import { observeChain } from './certificate-analysis.js';
import { fetchCertificateChain } from './certificate-fetch.js';
import { suitesOfClass } from '../../domain/cipher-suites.js';
import { sendHello, type HelloRequest } from './hello-probe.js';
import { enumerateTls, fullOffer, type EnumerationScope } from './tls-enumerate.js';

export interface TlsProbeOptions {
  /** Per connection. */
  timeoutMs: number;
  trustAnchors: readonly X509Certificate[];
  /** Connections opened at once to this endpoint (politeness towards one server). */
  connectionsPerEndpoint?: number;
  /** Enumerate suites, groups, compression, renegotiation and stapling (default true). */
  enumerate?: boolean;
  /** What the enumeration covers when it runs (default `full`). */
  enumerationScope?: EnumerationScope;
  /** Handshakes the enumeration may spend (default ENUMERATION_BUDGET). */
  enumerationBudget?: number;
  /** Wall-clock bound of the enumeration in ms (default: 3 × timeoutMs, at least 5 s). */
  enumerationTimeMs?: number;
  /** Taken before each connection (one slot per handshake), for `gateAddress`. */
  gate?: ConnectionGate;
  gateAddress?: string;
}

/** Errors that say the endpoint itself cannot be reached, as opposed to one handshake going wrong. */
const FATAL: readonly ErrorReason[] = ['refused', 'dns', 'unreachable', 'timeout', 'reset', 'protocol-error'];

/**
 * Observes a TLS endpoint: which protocols it negotiates (raw ClientHellos capped at each version),
 * which suite families it accepts (offering one family at a time), the DH group size, and the
 * certificate chain. Ends as an observation or as one error for the whole endpoint; never throws.
 * With `endpoint.starttls`, every connection first upgrades a plain-text SMTP session.
 */
export async function tlsProbe(endpoint: Endpoint, opts: TlsProbeOptions): Promise<Outcome<TlsObservation>> {
  const pool = pLimit(opts.connectionsPerEndpoint ?? 4);
  const gateAddress = opts.gateAddress ?? endpoint.address ?? endpoint.host;
  /** One connection: within this endpoint's limit, then through the gate (a fleet's limits). */
  const limit = <T>(open: () => Promise<T>) => pool(() => throughGate(opts.gate, gateAddress, open));
  const serverName = isIP(endpoint.host) ? undefined : endpoint.host;
  const target = {
    host: endpoint.host,
    port: endpoint.port,
    ...(endpoint.address ? { address: endpoint.address } : {}),
    ...(endpoint.starttls ? { starttls: endpoint.starttls } : {}),
  };
  const hello = (
    version: TlsVersionId,
    suites: readonly number[],
    want: 'hello' | 'key-exchange' = 'hello',
  ) =>
    limit(() =>
      sendHello(
        target,
        { version, suites, want, ...(serverName ? { serverName } : {}) },
        { timeoutMs: opts.timeoutMs },
      ),
    );

  // Modern protocols first: when neither answers with TLS, the endpoint is down or not TLS.
  // Behind STARTTLS any error of both (the upgrade itself failing, say) ends the probe likewise.
  const [tls12, tls13] = await Promise.all([
    hello('tls1.2', fullOffer('tls1.2')),
    hello('tls1.3', fullOffer('tls1.3')),
  ]);
  if (
    tls12.kind === 'error' &&
    tls13.kind === 'error' &&
    (FATAL.includes(tls12.reason) || endpoint.starttls !== undefined)
  ) {
    return failed(tls12.reason, tls12.detail);
  }
  const [ssl2, ssl3, tls10, tls11] = await Promise.all([
    hello('ssl2', fullOffer('ssl2')),
    hello('ssl3', fullOffer('ssl3')),
    hello('tls1.0', fullOffer('tls1.0')),
    hello('tls1.1', fullOffer('tls1.1')),
  ]);
  const protocols: Record<TlsVersionId, HelloResult> = {
    ssl2,
    ssl3,
    'tls1.0': tls10,
    'tls1.1': tls11,
    'tls1.2': tls12,
    'tls1.3': tls13,
  };
  const accepted = (Object.keys(protocols) as TlsVersionId[]).filter((v) => {
    const r = protocols[v];
    return r.kind === 'accepted' && r.version === v;
  });
  if (accepted.length === 0) {
    const firstError = Object.values(protocols).find((r) => r.kind === 'error');
    if (firstError?.kind === 'error') return failed(firstError.reason, firstError.detail);
    return failed('handshake-failed', 'le serveur a refusé toutes les versions de TLS et SSL proposées');
  }

  // The enumeration starts now: its handshake chains share the connection limit with the family probes.
  const enumerating =
    opts.enumerate === false
      ? undefined
      : enumerateTls(
          (version, suites, extra): Promise<HelloResult> =>
            limit(() => {
              const request: HelloRequest = {
                version,
                suites,
                want: extra.want ?? 'hello',
                ...(serverName ? { serverName } : {}),
                ...(extra.groups ? { groups: extra.groups } : {}),
                ...(extra.keyShares ? { keyShares: extra.keyShares } : {}),
                ...(extra.compression ? { compression: extra.compression } : {}),
                ...(extra.statusRequest ? { statusRequest: true } : {}),
              };
              return sendHello(target, request, { timeoutMs: opts.timeoutMs });
            }),
          {
            accepted,
            ...(opts.enumerationScope ? { scope: opts.enumerationScope } : {}),
            seen: Object.fromEntries(
              accepted.flatMap((v) => {
                const r = protocols[v];
                return r.kind === 'accepted' ? [[v, r.suite]] : [];
              }),
            ),
            ...(opts.enumerationBudget === undefined ? {} : { budget: opts.enumerationBudget }),
            timeBoundMs: opts.enumerationTimeMs ?? Math.max(5000, 3 * opts.timeoutMs),
          },
        );
  // Suite families are offered at the newest version ≤ TLS 1.2 the server speaks (TLS 1.3 suites are all AEAD).
  const legacy = (['tls1.2', 'tls1.1', 'tls1.0', 'ssl3'] as const).find((v) => accepted.includes(v));
  const classes = await Promise.all(
    SUITE_CLASSES.map(async (cls): Promise<[SuiteClass, SuiteClassResult]> => {
      if (!legacy) return [cls, { kind: 'not-applicable', because: 'aucune version entre SSLv3 et TLS 1.2' }];
      if (cls === 'aead' && legacy !== 'tls1.2') return [cls, { kind: 'rejected' }];
      const suites = suitesOfClass(cls, legacy);
      if (suites.length === 0)
        return [
          cls,
          { kind: 'not-applicable', because: `aucune suite ${cls} en ${TLS_VERSION_LABEL[legacy]}` },
        ];
      const r = await hello(legacy, suites, cls === 'dhe' ? 'key-exchange' : 'hello');
      switch (r.kind) {
        case 'accepted':
          return [
            cls,
            {
              kind: 'accepted',
              version: r.version,
              suite: r.suite,
              suiteName: r.suiteName,
              ...(r.dhPrimeBits === undefined ? {} : { dhPrimeBits: r.dhPrimeBits }),
            },
          ];
        case 'rejected':
          return [cls, { kind: 'rejected' }];
        case 'error':
          return [cls, { kind: 'error', reason: r.reason, detail: r.detail }];
      }
    }),
  );

  const [certificate, enumeration] = await Promise.all([
    observeCertificate(endpoint, target, serverName, legacy, opts, hello),
    enumerating,
  ]);
  return observed({
    protocols,
    suites: Object.fromEntries(classes) as TlsObservation['suites'],
    certificate,
    ...(enumeration ? { enumeration } : {}),
  });
}

async function observeCertificate(
  endpoint: Endpoint,
  target: { host: string; address?: string; port: number; starttls?: 'smtp' },
  serverName: string | undefined,
  legacy: TlsVersionId | undefined,
  opts: TlsProbeOptions,
  hello: (v: TlsVersionId, suites: readonly number[], want: 'hello' | 'key-exchange') => Promise<HelloResult>,
): Promise<TlsObservation['certificate']> {
  let chain = await throughGate(opts.gate, opts.gateAddress ?? endpoint.address ?? endpoint.host, () =>
    fetchCertificateChain(target, {
      timeoutMs: opts.timeoutMs,
      ...(serverName ? { serverName } : {}),
    }),
  );
  // Node's OpenSSL cannot speak SSLv3 or legacy suites: read the Certificate message ourselves then.
  if (chain.status !== 'observed' && legacy) {
    const r = await hello(legacy, fullOffer(legacy), 'key-exchange');
    if (r.kind === 'accepted' && r.certificates?.length) chain = observed(r.certificates);
  }
  if (chain.status !== 'observed') return chain;
  if (chain.value.length === 0) return failed('protocol-error', 'le serveur n’a envoyé aucun certificat');
  return observeChain(chain.value, { checkedName: endpoint.host, trustAnchors: opts.trustAnchors });
}
