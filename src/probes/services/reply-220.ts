import { idleMs, type Identification, type ProbeSession, type TcpServiceProbe } from './identification.js';
import { printableExcerpt } from './printable.js';

/** Software named in FTP and SMTP greetings, with the version they often give away. */
const PRODUCTS: readonly RegExp[] = [
  /\b(ProFTPD) (\d+\.\d+\.\d+[a-z0-9]*)/i,
  /\b(vsFTPd) (\d+\.\d+\.\d+)/i,
  /\b(FileZilla Server)(?: version)? v?(\d+\.\d+\.\d+[a-z0-9]*)/i,
  /\b(Pure-FTPd) (\d+\.\d+\.\d+)/i,
  /\b(Serv-U FTP Server) v ?(\d+(?:\.\d+)+)/i,
  /\b(wu-ftpd|wu)-(\d+\.\d+\.\d+)/i,
  /\b(Exim) (\d+\.\d+(?:\.\d+)?)/i,
  /\b(Sendmail) (\d+\.\d+\.\d+)/i,
  /\b(Postfix) (\d+\.\d+\.\d+)/i,
  /\b(Microsoft ESMTP MAIL Service), Version: (\d+(?:\.\d+)+)/i,
];

const SMTP_MARK = /\b(E?SMTP|Postfix|Exim|Sendmail|Haraka|OpenSMTPD|MAIL Service)\b/i;
const FTP_MARK = /ftp/i;

/** A complete `220` reply (single or multi-line, RFC 959 §4.2 / RFC 5321 §4.2): its text. */
export function parse220(received: Buffer): string | undefined {
  const text = received.toString('latin1');
  if (!/^220[ -]/.test(text)) return undefined;
  const lines = text.split('\n').slice(0, 50);
  const collected: string[] = [];
  for (const line of lines.slice(0, -1)) {
    const clean = line.replace(/\r$/, '');
    collected.push(clean.replace(/^220[ -]?/, ''));
    if (/^220(?: |$)/.test(clean)) return collected.join(' ');
  }
  return undefined;
}

function versionIn(text: string): string | undefined {
  for (const pattern of PRODUCTS) {
    const m = pattern.exec(text);
    if (m !== null) return `${m[1] ?? ''} ${m[2] ?? ''}`;
  }
  return undefined;
}

function identified(service: 'ftp' | 'smtp', greeting: string, detail?: string): Identification {
  const version = versionIn(greeting);
  return {
    service,
    banner: printableExcerpt(`220 ${greeting}`),
    ...(version === undefined ? {} : { version }),
    ...(detail === undefined ? {} : { detail }),
  };
}

/** Recognises a 220 greeting that says whether it is FTP or SMTP; an ambiguous one is left unnamed. */
export function recognize220(received: Buffer): Identification | undefined {
  const greeting = parse220(received);
  if (greeting === undefined) return undefined;
  if (SMTP_MARK.test(greeting)) return identified('smtp', greeting);
  if (FTP_MARK.test(greeting)) return identified('ftp', greeting);
  return undefined;
}

/** The reply lines the server sent after its greeting. */
function afterGreeting(received: Buffer, greetingLength: number): string {
  return received.subarray(greetingLength).toString('latin1');
}

/**
 * Reads the 220 greeting. When it does not say which protocol it is, asks with one harmless
 * command of the expected protocol (FTP `SYST`, SMTP `EHLO`): nothing is logged in or written.
 */
function greetingProbe(expected: 'ftp' | 'smtp'): TcpServiceProbe {
  return async (session: ProbeSession) => {
    const { conversation: c, stepMs } = session;
    const end = await c.collect({
      timeoutMs: stepMs,
      idleMs: idleMs(stepMs),
      done: (b) => parse220(b) !== undefined,
    });
    const greeting = parse220(c.received);
    if (greeting === undefined) return { spoke: false, end };
    const direct = recognize220(c.received);
    if (direct !== undefined) return { spoke: false, end, identification: direct };
    const length = c.received.length;
    c.send(Buffer.from(expected === 'ftp' ? 'SYST\r\n' : 'EHLO vigie.invalid\r\n', 'latin1'));
    await c.collect({
      timeoutMs: stepMs,
      idleMs: idleMs(stepMs),
      done: (b) => /^\d{3} [^\n]*\n/m.test(afterGreeting(b, length)),
    });
    const reply = afterGreeting(c.received, length);
    if (expected === 'ftp' && /^(215|530)[ -]/.test(reply))
      return { spoke: true, end, identification: identified('ftp', greeting, `SYST → ${reply.slice(0, 3)}`) };
    if (expected === 'smtp' && /^250[ -]/.test(reply))
      return { spoke: true, end, identification: identified('smtp', greeting, 'EHLO → 250') };
    return { spoke: true, end, detail: `220 greeting of an unknown protocol` };
  };
}

export const ftpGreetingProbe: TcpServiceProbe = greetingProbe('ftp');
export const smtpGreetingProbe: TcpServiceProbe = greetingProbe('smtp');
