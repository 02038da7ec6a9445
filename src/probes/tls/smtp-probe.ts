import { Socket } from 'node:net';
import { failed, observed, type ErrorReason, type Outcome } from '../../domain/outcome.js';
import { connectErrorReason, errorCode } from '../socket-errors.js';
import { defaultEhloName, ehloExtensions, SmtpDialogue, smtpGreetAndEhlo } from './smtp-starttls.js';

export interface SmtpProbeTarget {
  host: string;
  /** Pinned address to connect to. */
  address?: string;
  port: number;
}

export interface SmtpCapabilities {
  /** Text of the 220 greeting (its lines joined by newlines). */
  banner: string;
  /** STARTTLS is among the EHLO keywords. */
  starttls: boolean;
  /** EHLO keywords, upper-case; empty when the server refuses EHLO. */
  extensions: string[];
}

type Connected = { ok: true; socket: Socket } | { ok: false; reason: ErrorReason; detail: string };

function connectWithin(target: SmtpProbeTarget, timeoutMs: number): Promise<Connected> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let settled = false;
    const settle = (result: Connected): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (!result.ok) socket.destroy();
      resolve(result);
    };
    const onConnect = (): void => settle({ ok: true, socket });
    const onError = (err: Error): void => {
      const code = errorCode(err);
      settle({ ok: false, reason: connectErrorReason(code), detail: `${code ?? 'error'}: ${err.message}` });
    };
    const onClose = (): void =>
      settle({ ok: false, reason: 'unreachable', detail: 'connection closed before it was established' });
    const timer = setTimeout(
      () => settle({ ok: false, reason: 'timeout', detail: `no connection within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.once('connect', onConnect);
    socket.on('error', onError);
    socket.once('close', onClose);
    try {
      socket.connect({ host: target.address ?? target.host, port: target.port });
    } catch (err) {
      settle({
        ok: false,
        reason: 'internal',
        detail: `cannot connect: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  });
}

/**
 * What an SMTP server announces: greeting, EHLO keywords, STARTTLS. Ends the session with QUIT and
 * never sends STARTTLS. The whole probe is bounded by `timeoutMs`; never throws, always closes.
 */
export async function smtpProbe(
  target: SmtpProbeTarget,
  opts: { timeoutMs: number },
): Promise<Outcome<SmtpCapabilities>> {
  const timeoutMs = Math.max(1, Math.floor(opts.timeoutMs));
  const deadline = Date.now() + timeoutMs;
  const connected = await connectWithin(target, timeoutMs);
  if (!connected.ok) return failed(connected.reason, connected.detail);
  const { socket } = connected;
  // Errors after `release()` (a late reset while closing) must not go unhandled.
  socket.on('error', () => undefined);
  const dialogue = new SmtpDialogue(socket, deadline - Date.now());
  try {
    const session = await smtpGreetAndEhlo(dialogue, defaultEhloName());
    if (!session.ok) return failed(session.reason, session.detail);
    // A server that refuses EHLO (HELO only) has no extensions, hence no STARTTLS.
    const extensions = session.ehlo.code === 250 ? ehloExtensions(session.ehlo) : [];
    if (dialogue.send('QUIT') === undefined) await dialogue.next('en réponse à QUIT');
    return observed({ banner: session.banner, starttls: extensions.includes('STARTTLS'), extensions });
  } catch (err) {
    return failed('internal', err instanceof Error ? err.message : String(err));
  } finally {
    dialogue.release();
    socket.destroy();
  }
}
