import type { X509Certificate } from 'node:crypto';
import {
  observed,
  throughGate,
  type ConnectionGate,
  type Endpoint,
  type HttpObservation,
  type HttpResponseFacts,
  type Outcome,
  type ServiceObservation,
  type TlsObservation,
} from '../domain/index.js';
import { httpGet, httpProbe } from '../probes/http/index.js';
import { tlsProbe } from '../probes/index.js';
import { serviceProbe, tcpExchange } from '../probes/services/index.js';
import { smtpProbe, type EnumerationScope } from '../probes/tls/index.js';
import type { CustomObservation } from './checks/custom-checks.js';
import type { SmtpObservation } from './checks/smtp-checks.js';
import { scopedConnectionGate } from './connection-gate-scope.js';
import type { PlannedEndpoint } from './plan.js';

/**
 * Everything the probes saw on one endpoint, each made once; the checks and grades judge it
 * afterwards, without opening a socket. A family left undefined was not probed here.
 */
export interface EndpointObservations {
  planned: PlannedEndpoint;
  /** An MX host's SMTP session, before STARTTLS. */
  smtp?: Outcome<SmtpObservation>;
  /** Undefined too when an MX's SMTP session failed or offered no STARTTLS. */
  tls?: Outcome<TlsObservation>;
  http?: Outcome<HttpObservation>;
  /** A port that could not be tried at all carries `failure`. */
  service?: ServiceObservation;
  custom: CustomObservation;
}

export interface ObserveOptions {
  timeoutMs: number;
  trustAnchors: readonly X509Certificate[];
  /** Where the TLS enumeration runs (default `full`); see `TlsEnumerationMode`. */
  tlsEnumeration?: TlsEnumerationMode;
  /** The TLS policy profiles of an endpoint (for `tlsEnumeration: profiles`). */
  tlsProfiles?: (endpoint: Endpoint) => readonly unknown[];
  /**
   * Taken before each connection to the endpoint's address (default: the one of the current
   * `withConnectionGate`, else none). TLS handshakes take one slot each; the SMTP, HTTP, service and
   * custom probes one slot for the whole probe (HTTP then keeps one connection per origin).
   */
  gate?: ConnectionGate;
}

/**
 * `full`: every TLS endpoint is enumerated; `profiles`: only those checked against a TLS profile,
 * the others get one post-quantum hello (hybrid group accepted or not); `off`: none. What is not
 * enumerated is « not observed », never conformant.
 */
export type TlsEnumerationMode = 'full' | 'profiles' | 'off';

/** The engine's default: the full enumeration where a profile needs it, the post-quantum hello elsewhere. */
export const DEFAULT_TLS_ENUMERATION: TlsEnumerationMode = 'profiles';

/** What the TLS enumeration covers on this endpoint: everything, only the post-quantum hello, or nothing. */
export function enumerationScope(endpoint: Endpoint, opts: ObserveOptions): EnumerationScope | 'off' {
  const mode = opts.tlsEnumeration ?? DEFAULT_TLS_ENUMERATION;
  if (mode === 'profiles') return (opts.tlsProfiles?.(endpoint).length ?? 0) > 0 ? 'full' : 'post-quantum';
  return mode;
}

/** Runs the probes planned for one endpoint, in the order their dependencies need. Never throws on I/O. */
export async function observeEndpoint(
  planned: PlannedEndpoint,
  opts: ObserveOptions,
): Promise<EndpointObservations> {
  const { endpoint } = planned;
  const target = {
    host: endpoint.host,
    port: endpoint.port,
    ...(endpoint.address ? { address: endpoint.address } : {}),
  };
  const obs: EndpointObservations = { planned, custom: { http: new Map(), tcp: new Map() } };
  const gate = opts.gate ?? scopedConnectionGate();
  const address = (endpoint.address ?? endpoint.host).toLowerCase();
  const gated = <T>(open: () => Promise<T>) => throughGate(gate, address, open);

  let tls = planned.tls;
  if (planned.smtp) {
    const smtp = await gated(() => smtpProbe(target, { timeoutMs: opts.timeoutMs }));
    obs.smtp = smtp;
    // The TLS of an MX goes through its SMTP session: only when it offers STARTTLS.
    tls = smtp.status === 'observed' && smtp.value.starttls;
  }
  if (tls) {
    obs.tls = await tlsProbe(endpoint, {
      timeoutMs: opts.timeoutMs,
      trustAnchors: opts.trustAnchors,
      ...tlsEnumerationOptions(enumerationScope(endpoint, opts)),
      ...(gate ? { gate, gateAddress: address } : {}),
    });
  }

  if (planned.http) {
    const { scheme, path } = planned.http;
    const http = await gated(() =>
      httpProbe(target, {
        scheme,
        path,
        timeoutMs: opts.timeoutMs,
        ...(gate ? { connectionsPerOrigin: 1 } : {}),
      }),
    );
    obs.http = http;
    if (http.status === 'observed') {
      const responses = new Map<string, Outcome<HttpResponseFacts>>();
      // The probe's first response is the answer to a GET of its path: custom checks on it reuse it.
      const first = http.value.chain[0];
      if (first) responses.set(path, observed(first));
      for (const check of planned.customHttp) {
        if (check.kind !== 'http' || responses.has(check.http.path)) continue;
        responses.set(
          check.http.path,
          await gated(() => httpGet(target, { scheme, path: check.http.path, timeoutMs: opts.timeoutMs })),
        );
      }
      obs.custom = { ...obs.custom, http: responses };
    }
  }

  if (planned.service) {
    const entry = planned.service.entry;
    const seen = await gated(() =>
      serviceProbe(target, entry, {
        timeoutMs: opts.timeoutMs,
        connectTimeoutMs: Math.min(opts.timeoutMs, 2000),
      }),
    );
    // A variant in services.yaml (`protocol:`): what its probe recognises on its ports bears its name.
    obs.service =
      entry?.protocol !== undefined && seen.service === entry.protocol
        ? { ...seen, service: entry.name }
        : seen;
  }

  if (planned.customTcp.length > 0) {
    const exchanges = new Map<string, Outcome<{ received: Buffer }>>();
    for (const check of planned.customTcp) {
      if (check.kind !== 'tcp') continue;
      exchanges.set(
        check.id,
        await gated(() =>
          tcpExchange(target, {
            timeoutMs: Math.min(opts.timeoutMs, 3000),
            ...(check.tcp.send === undefined ? {} : { send: Buffer.from(check.tcp.send, 'latin1') }),
          }),
        ),
      );
    }
    obs.custom = { ...obs.custom, tcp: exchanges };
  }
  return obs;
}

function tlsEnumerationOptions(scope: EnumerationScope | 'off'): {
  enumerate: boolean;
  enumerationScope?: EnumerationScope;
} {
  return scope === 'off' ? { enumerate: false } : { enumerate: true, enumerationScope: scope };
}
