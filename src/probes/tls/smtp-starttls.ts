import type { Socket } from 'node:net';
import { hostname } from 'node:os';
import type { ErrorReason } from '../../domain/outcome.js';

/** RFC 5321 allows 512 octets per reply line; anything past this bound is not a sane SMTP server. */
const MAX_LINE_BYTES = 1000;
const MAX_REPLY_LINES = 100;
const MAX_DETAIL_CHARS = 200;

/** One complete SMTP reply: its code and the text of each line (after the code and separator). */
export interface SmtpReply {
  ok: true;
  code: number;
  lines: string[];
}

/** Why an SMTP exchange stopped; `notOffered` when the server simply does not offer STARTTLS. */
export interface SmtpFailure {
  ok: false;
  reason: ErrorReason;
  detail: string;
  notOffered?: boolean;
}

export type SmtpStartTlsResult = { ok: true; banner: string; extensions: string[] } | SmtpFailure;

export interface SmtpStartTlsOptions {
  /** Bound on the whole exchange (greeting, EHLO, STARTTLS). */
  timeoutMs: number;
  /** Name sent with EHLO; default `defaultEhloName()`. */
  ehloName?: string;
}

const smtpFailure = (reason: ErrorReason, detail: string): SmtpFailure => ({ ok: false, reason, detail });

/** `os.hostname()` when it looks like a fully qualified domain name, else `localhost`. */
export function defaultEhloName(): string {
  const name = hostname().replace(/\.$/, '');
  return name.includes('.') && /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(name) ? name : 'localhost';
}

/** The text of a reply, for error details (bounded). */
export function replyText(reply: SmtpReply): string {
  const text = `${reply.code} ${reply.lines.join(' ')}`.trim();
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text;
}

/** Keywords of an EHLO reply (each line after the first), upper-case. */
export function ehloExtensions(reply: SmtpReply): string[] {
  return reply.lines
    .slice(1)
    .map((line) => (line.trim().split(/\s+/)[0] ?? '').toUpperCase())
    .filter((keyword) => keyword.length > 0);
}

function socketErrorReason(err: unknown): ErrorReason {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'reset';
  if (code === 'ETIMEDOUT') return 'timeout';
  return 'unreachable';
}

/** A byte that can appear in an SMTP reply line (CR and LF are handled as line ends). */
const textByte = (b: number): boolean => b === 0x09 || (b >= 0x20 && b !== 0x7f);

/** Whether `line` (possibly incomplete) can still begin an SMTP reply line: `[2-5]dd`, then space, `-` or end. */
function plausiblePrefix(line: Buffer): boolean {
  const first = line[0];
  if (first !== undefined && (first < 0x32 || first > 0x35)) return false;
  for (const i of [1, 2]) {
    const b = line[i];
    if (b !== undefined && (b < 0x30 || b > 0x39)) return false;
  }
  const sep = line[3];
  return sep === undefined || sep === 0x20 || sep === 0x2d || sep === 0x0d;
}

/**
 * Reads SMTP replies from a connected socket, strictly: a bounded line length and line count,
 * only text bytes, and nothing sent by the server out of turn. The whole dialogue is bounded by
 * one deadline. `release()` removes every listener it added and leaves the socket paused.
 */
export class SmtpDialogue {
  private readonly socket: Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private code: string | undefined;
  private lines: string[] = [];
  /** Complete replies not yet taken, with the stream offset just past each. */
  private readonly replies: { reply: SmtpReply; end: number }[] = [];
  /** Bytes received, bytes split into lines, and the offset just past the last reply taken. */
  private received = 0;
  private parsed = 0;
  private taken = 0;
  private failure: SmtpFailure | undefined;
  private waiter: (() => void) | undefined;
  private readonly timer: NodeJS.Timeout;
  private stage = 'en attendant le message d’accueil';
  private released = false;

  constructor(socket: Socket, timeoutMs: number) {
    this.socket = socket;
    const bound = Math.max(1, Math.floor(timeoutMs));
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
    this.timer = setTimeout(() => {
      this.fail('timeout', `pas de réponse du serveur SMTP ${this.stage} en ${bound} ms`);
    }, bound);
    if (socket.destroyed) this.fail('reset', 'connexion SMTP déjà fermée');
    else socket.resume();
  }

  /** The next complete reply, or the failure that ended the dialogue. */
  next(stage: string): Promise<SmtpReply | SmtpFailure> {
    this.stage = stage;
    return new Promise((resolve) => {
      // Replies already read come first: a refusal followed by a close reports the refusal.
      const check = (): void => {
        const first = this.replies.shift();
        if (first !== undefined) {
          this.taken = first.end;
          return resolve(first.reply);
        }
        if (this.failure !== undefined) return resolve(this.failure);
        this.waiter = check;
      };
      check();
    });
  }

  /** Whether the server sent any byte beyond the last reply taken with `next()`. */
  hasUnread(): boolean {
    return this.received > this.taken;
  }

  /** Sends one command line; refuses when the server spoke out of turn. */
  send(command: string): SmtpFailure | undefined {
    if (this.failure !== undefined) return this.failure;
    if (this.hasUnread()) {
      return this.fail(
        'protocol-error',
        `le serveur SMTP a envoyé des données sans y être invité ${this.stage}`,
      );
    }
    this.socket.write(`${command}\r\n`);
    return undefined;
  }

  /** Stops reading: removes every listener and the timer; the socket stays open and paused. */
  release(): void {
    if (this.released) return;
    this.released = true;
    clearTimeout(this.timer);
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    this.socket.pause();
  }

  private fail(reason: ErrorReason, detail: string): SmtpFailure {
    if (this.failure === undefined) {
      this.failure = smtpFailure(reason, detail);
      clearTimeout(this.timer);
      this.wake();
    }
    return this.failure;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  private readonly onEnd = (): void => {
    this.fail('reset', `le serveur SMTP a fermé la connexion ${this.stage}`);
  };

  private readonly onError = (err: Error): void => {
    this.fail(socketErrorReason(err), `${this.stage} : ${err.message}`);
  };

  private readonly onData = (chunk: Buffer): void => {
    this.received += chunk.length;
    if (this.failure !== undefined) return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let nl: number;
    while ((nl = this.buffer.indexOf(0x0a)) >= 0) {
      const raw = this.buffer.subarray(0, nl);
      this.buffer = this.buffer.subarray(nl + 1);
      this.parsed += nl + 1;
      const line = raw.at(-1) === 0x0d ? raw.subarray(0, -1) : raw;
      if (!this.takeLine(line)) return;
    }
    // The incomplete tail: fail early on what can already be told, rather than at the deadline.
    if (this.buffer.length > MAX_LINE_BYTES + 1) {
      this.fail('protocol-error', `ligne de réponse SMTP de plus de ${MAX_LINE_BYTES} octets ${this.stage}`);
      return;
    }
    const tail = this.buffer;
    const badByte = tail.findIndex((b, i) => !textByte(b) && !(b === 0x0d && i === tail.length - 1));
    if (badByte >= 0 || !plausiblePrefix(tail)) this.notSmtp(tail);
  };

  /** Adds one line to the reply being read; false once the dialogue has failed. */
  private takeLine(line: Buffer): boolean {
    if (line.length > MAX_LINE_BYTES) {
      this.fail('protocol-error', `ligne de réponse SMTP de plus de ${MAX_LINE_BYTES} octets ${this.stage}`);
      return false;
    }
    if (!line.every(textByte)) {
      this.notSmtp(line);
      return false;
    }
    const match = /^([2-5]\d\d)(?:([ -])(.*))?$/s.exec(line.toString('utf8'));
    const code = match?.[1];
    if (match === null || code === undefined) {
      this.notSmtp(line);
      return false;
    }
    if (this.code !== undefined && this.code !== code) {
      this.fail('protocol-error', `réponse SMTP incohérente ${this.stage} (codes ${this.code} puis ${code})`);
      return false;
    }
    this.code = code;
    this.lines.push(match[3] ?? '');
    if (this.lines.length > MAX_REPLY_LINES) {
      this.fail('protocol-error', `réponse SMTP de plus de ${MAX_REPLY_LINES} lignes ${this.stage}`);
      return false;
    }
    if (match[2] !== '-') {
      this.replies.push({ reply: { ok: true, code: Number(code), lines: this.lines }, end: this.parsed });
      this.code = undefined;
      this.lines = [];
      this.wake();
    }
    return true;
  }

  private notSmtp(bytes: Buffer): void {
    const shown = JSON.stringify(bytes.subarray(0, 40).toString('latin1'));
    this.fail('protocol-error', `le serveur ne parle pas SMTP ${this.stage} : ${shown}`);
  }
}

/** Reads the greeting and sends EHLO; the EHLO reply is returned whatever its code. */
export async function smtpGreetAndEhlo(
  dialogue: SmtpDialogue,
  ehloName: string,
): Promise<{ ok: true; banner: string; ehlo: SmtpReply } | SmtpFailure> {
  const greeting = await dialogue.next('en attendant le message d’accueil');
  if (!greeting.ok) return greeting;
  if (greeting.code >= 400) {
    return smtpFailure('handshake-failed', `le serveur SMTP refuse la session : ${replyText(greeting)}`);
  }
  if (greeting.code !== 220) {
    return smtpFailure('protocol-error', `message d’accueil SMTP inattendu : ${replyText(greeting)}`);
  }
  const banner = greeting.lines.join('\n').trim();
  const sent = dialogue.send(`EHLO ${ehloName}`);
  if (sent !== undefined) return sent;
  const ehlo = await dialogue.next('en réponse à EHLO');
  if (!ehlo.ok) return ehlo;
  return { ok: true, banner, ehlo };
}

/**
 * Upgrades an already connected SMTP session to TLS (RFC 3207): greeting, EHLO, STARTTLS, 220.
 * Never throws. On return every listener it added is removed and the socket is left paused,
 * neither read from nor closed: on success the caller starts TLS on it, on failure destroys it.
 *
 * Bytes the server sends after its 220 to STARTTLS, before any TLS, are refused as a protocol
 * error: they would otherwise be taken as part of the TLS session (CVE-2011-0411 style injection).
 */
export async function smtpStartTls(socket: Socket, opts: SmtpStartTlsOptions): Promise<SmtpStartTlsResult> {
  const ehloName = opts.ehloName ?? defaultEhloName();
  if (!/^[\x21-\x7e]+$/.test(ehloName))
    return smtpFailure('internal', `nom EHLO invalide : ${JSON.stringify(ehloName)}`);
  const dialogue = new SmtpDialogue(socket, opts.timeoutMs);
  try {
    const session = await smtpGreetAndEhlo(dialogue, ehloName);
    if (!session.ok) return session;
    if (session.ehlo.code !== 250) {
      return {
        ...smtpFailure(
          'handshake-failed',
          `le serveur SMTP refuse EHLO, donc STARTTLS : ${replyText(session.ehlo)}`,
        ),
        notOffered: true,
      };
    }
    const extensions = ehloExtensions(session.ehlo);
    if (!extensions.includes('STARTTLS')) {
      return {
        ...smtpFailure('handshake-failed', 'le serveur SMTP n’annonce pas STARTTLS'),
        notOffered: true,
      };
    }
    const sent = dialogue.send('STARTTLS');
    if (sent !== undefined) return sent;
    const reply = await dialogue.next('en réponse à STARTTLS');
    if (!reply.ok) return reply;
    if (reply.code < 200 || reply.code >= 300) {
      return smtpFailure('handshake-failed', `le serveur SMTP refuse STARTTLS : ${replyText(reply)}`);
    }
    if (dialogue.hasUnread()) {
      return smtpFailure(
        'protocol-error',
        'le serveur SMTP a envoyé des données après sa réponse à STARTTLS, avant la négociation TLS (injection de commandes STARTTLS)',
      );
    }
    return { ok: true, banner: session.banner, extensions };
  } finally {
    dialogue.release();
  }
}
