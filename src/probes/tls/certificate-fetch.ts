import { isIP, Socket } from 'node:net';
import { connect, type ConnectionOptions, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import { failed, observed, stableErrorText, type ErrorReason, type Outcome } from '../../domain/outcome.js';
import { sharedSecureContext } from '../secure-contexts.js';
import { smtpStartTls } from './smtp-starttls.js';

/**
 * Fetches the certificates a TLS server presents, leaf first, with a full Node handshake.
 *
 * Node exposes the chain only through `getPeerCertificate(true)`, which is its own reconstruction:
 * starting at the leaf it links each certificate to its issuer among the certificates the server
 * sent (so out-of-order chains come back ordered and unrelated extras are dropped), then, for the
 * last one, looks the issuer up in the client's trust store and appends it. That last step would
 * add a root the server never sent — or an intermediate the user trusts — and hide an incomplete
 * chain. The connection is therefore made with an empty trust store (`ca: []`): only certificates
 * the server sent come back. Verification is left to `analyseChain`.
 */

export interface FetchTarget {
  host: string;
  address?: string;
  port: number;
  /** Upgrade a plain-text session first (SMTP STARTTLS), then negotiate TLS on it. */
  starttls?: 'smtp';
}

export interface FetchOptions {
  timeoutMs: number;
  /** SNI and name to present; default `host`. Not sent when it is an IP literal. */
  serverName?: string;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Error reason for a socket or TLS error. */
export function reasonOf(err: unknown): ErrorReason {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_NODATA':
      return 'dns';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
    case 'EADDRNOTAVAIL':
      return 'unreachable';
    default:
      break;
  }
  if (
    (typeof code === 'string' && code.startsWith('ERR_SSL_')) ||
    /alert|wrong version|handshake|no protocols|unsupported protocol/i.test(message)
  ) {
    return 'handshake-failed';
  }
  return 'protocol-error';
}

/** DER of the peer's certificates as Node linked them, leaf first; stops on self-reference and loops. */
function collectChain(socket: TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<DetailedPeerCertificate>();
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cert !== undefined && !seen.has(cert) && out.length < 16) {
    // An empty object means no certificate at all (Node's convention).
    if (!Buffer.isBuffer(cert.raw) || cert.raw.length === 0) break;
    seen.add(cert);
    out.push(Buffer.from(cert.raw));
    const next = cert.issuerCertificate as DetailedPeerCertificate | undefined;
    if (next === undefined || next === cert) break;
    cert = next;
  }
  return out;
}

/**
 * Never throws; always destroys the socket; resolves once, within `timeoutMs` (plus scheduling).
 * With `target.starttls`, connecting and upgrading are bounded by `timeoutMs`, then the TLS
 * handshake again; a failed upgrade is an error with the reason and detail of `smtpStartTls`.
 */
export function fetchCertificateChain(target: FetchTarget, opts: FetchOptions): Promise<Outcome<Buffer[]>> {
  return new Promise((resolve) => {
    const connectHost = stripBrackets(target.address ?? target.host);
    const sni = stripBrackets(opts.serverName ?? target.host).replace(/\.$/, '');
    // STARTTLS: a plain connection first, the SMTP upgrade, then TLS on the same socket.
    const plain = target.starttls === 'smtp' ? new Socket() : undefined;
    let socket: TLSSocket | undefined;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: Outcome<Buffer[]>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket?.destroy();
      plain?.destroy();
      resolve(outcome);
    };
    const arm = (detail: string): void => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(failed('timeout', detail)), opts.timeoutMs);
    };
    const handshakeTimeout = `pas de négociation TLS complète en ${opts.timeoutMs} ms`;
    const tlsOptions: ConnectionOptions = {
      ...(isIP(sni) === 0 && sni.length > 0 ? { servername: sni } : {}),
      rejectUnauthorized: false,
      // Empty trust store: Node must not append a store certificate the server did not send.
      secureContext: sharedSecureContext({ ca: [], minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }),
    };

    const handshake = (options: ConnectionOptions): void => {
      try {
        socket = connect(options);
      } catch (err) {
        finish(failed('internal', err instanceof Error ? err.message : String(err)));
        return;
      }
      const s = socket;
      s.once('secureConnect', () => {
        try {
          const chain = collectChain(s);
          finish(
            chain.length === 0
              ? failed('protocol-error', 'le serveur n’a présenté aucun certificat')
              : observed(chain),
          );
        } catch (err) {
          finish(failed('internal', err instanceof Error ? err.message : String(err)));
        }
      });
      s.on('error', (err: Error) => {
        finish(failed(reasonOf(err), stableErrorText(err.message)));
      });
      s.once('close', () => {
        finish(failed('reset', 'connexion fermée avant la fin de la négociation TLS'));
      });
    };

    if (plain === undefined) {
      arm(handshakeTimeout);
      handshake({ host: connectHost, port: target.port, ...tlsOptions });
      return;
    }

    arm(`pas de connexion SMTP ni de STARTTLS en ${opts.timeoutMs} ms`);
    const deadline = Date.now() + opts.timeoutMs;
    const p = plain;
    let upgrading = false;
    p.on('error', (err: Error) => {
      // During the upgrade smtpStartTls reports errors; after it, the TLS socket does.
      if (!upgrading && socket === undefined) finish(failed(reasonOf(err), err.message));
    });
    p.once('close', () => {
      if (!upgrading && socket === undefined) finish(failed('reset', 'connexion fermée avant STARTTLS'));
    });
    p.once('connect', () => {
      upgrading = true;
      void smtpStartTls(p, { timeoutMs: Math.max(1, deadline - Date.now()) }).then(
        (upgrade) => {
          upgrading = false;
          if (done) return;
          if (!upgrade.ok) return finish(failed(upgrade.reason, upgrade.detail));
          arm(handshakeTimeout);
          handshake({ socket: p, ...tlsOptions });
        },
        (err: unknown) => {
          upgrading = false;
          finish(failed('internal', `STARTTLS: ${err instanceof Error ? err.message : String(err)}`));
        },
      );
    });
    try {
      p.connect({ host: connectHost, port: target.port });
    } catch (err) {
      finish(failed('internal', err instanceof Error ? err.message : String(err)));
    }
  });
}
