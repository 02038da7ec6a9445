import nodemailer from 'nodemailer';
import { msg } from '../i18n/index.js';
import {
  isLoopbackHost,
  OperationalError,
  SmtpPlaintextRefusedError,
  SmtpTlsRequiredError,
} from '../domain/index.js';

/** SMTP settings of vigie.yml `mail:` (the password comes from VIGIE_SMTP_PASSWORD only). */
export interface MailSettings {
  host: string;
  port: number;
  /** true: implicit TLS; false: STARTTLS, required before anything is sent (unless the opt-out below). */
  secure: boolean;
  user?: string | undefined;
  from: string;
  /**
   * Plain SMTP (no STARTTLS) to a relay on the loopback, without authentication: refused with a
   * user, a password, or a host off the loopback.
   */
  allowPlaintextLoopback?: boolean | undefined;
  /** Trust anchors (PEM) for the server's certificate, instead of Node's roots. */
  ca?: readonly string[] | undefined;
}

export interface MailAttachment {
  filename: string;
  content: Buffer | string;
  contentType: string;
  /** Content-ID for inline images (`<img src="cid:…">`). */
  cid?: string;
}

export interface MailMessage {
  to: string[];
  subject: string;
  html: string;
  text: string;
  attachments?: MailAttachment[];
}

export interface Mailer {
  send(m: MailMessage): Promise<{ messageId: string }>;
  /** Connects and authenticates, without sending. */
  verify(): Promise<void>;
  close(): void;
}

export const SMTP_PASSWORD_ENV = 'VIGIE_SMTP_PASSWORD';
const TIMEOUT_MS = 10_000;

/** STARTTLS refused or not offered (the server answered), or a TLS handshake that failed. */
function tlsRequired(
  settings: MailSettings,
  err: unknown,
  password: string | undefined,
): SmtpTlsRequiredError {
  const response = (err as { response?: unknown }).response;
  const where = `${settings.host}:${settings.port}`;
  const raw = err instanceof Error ? err.message : String(err);
  const refused = typeof response === 'string' && response !== '';
  // Secrets are scrubbed from what the server or the library said before it enters the message.
  const text = refused
    ? msg('errlang.mail.starttls-refused', {
        where,
        response: scrubSecret(response.trim().slice(0, 200), password),
      })
    : msg('errlang.mail.starttls-failed', { where, detail: scrubSecret(raw, password) });
  return new SmtpTlsRequiredError(text, {
    hint: msg(refused ? 'errlang.mail.starttls-refused.hint' : 'errlang.mail.starttls-failed.hint'),
  });
}

/** Removes every occurrence of the secret (and its base64 forms, as seen in AUTH exchanges) from a text. */
export function scrubSecret(text: string, secret: string | undefined): string {
  if (!secret) return text;
  const forms = [secret, Buffer.from(secret).toString('base64')].filter((s) => s.length > 0);
  return forms.reduce((acc, s) => acc.split(s).join('***'), text);
}

/** Why plain SMTP cannot be used with these settings, if it cannot (French, for the error). */
export function plaintextRefusal(settings: MailSettings, password: string | undefined): string | undefined {
  if (!isLoopbackHost(settings.host))
    return `SMTP en clair refusé : ${settings.host} n’est pas sur la boucle locale (mail.allowPlaintextLoopback)`;
  if (settings.user !== undefined || (password ?? '') !== '')
    return `SMTP en clair refusé : un identifiant ou ${SMTP_PASSWORD_ENV} ne passe jamais sans TLS (mail.allowPlaintextLoopback)`;
  return undefined;
}

const PLAINTEXT_HINT = `retirez mail.allowPlaintextLoopback (STARTTLS sera exigé), ou retirez mail.user et ${SMTP_PASSWORD_ENV} pour un relais local sans authentification`;

/**
 * A nodemailer SMTP transport behind vigie's small Mailer interface; failures are OperationalErrors.
 * With `secure: false`, STARTTLS is required (nodemailer `requireTLS`): a server that does not
 * offer it, or whose certificate is not trusted, gets neither credentials nor mail
 * (SmtpTlsRequiredError). The only way around is the loopback opt-out, never with credentials.
 */
export function createMailer(settings: MailSettings, env: NodeJS.ProcessEnv): Mailer {
  const password = env[SMTP_PASSWORD_ENV];
  const plaintext = !settings.secure && settings.allowPlaintextLoopback === true;
  if (plaintext) {
    const refusal = plaintextRefusal(settings, password);
    if (refusal !== undefined) throw new SmtpPlaintextRefusedError(refusal, { hint: PLAINTEXT_HINT });
  }
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.secure ? {} : plaintext ? { ignoreTLS: true } : { requireTLS: true }),
    ...(settings.ca ? { tls: { ca: [...settings.ca] } } : {}),
    ...(settings.user && !plaintext ? { auth: { user: settings.user, pass: password ?? '' } } : {}),
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
    dnsTimeout: TIMEOUT_MS,
    logger: false,
    debug: false,
  });
  const fail = (what: string, err: unknown): OperationalError => {
    const raw = err instanceof Error ? err.message : String(err);
    const code = (err as { code?: unknown } | undefined)?.code;
    if (code === 'ETLS' && !settings.secure) return tlsRequired(settings, err, password);
    const message = scrubSecret(
      `${what} (${settings.host}:${settings.port}) : ${raw}${typeof code === 'string' ? ` [${code}]` : ''}`,
      password,
    );
    return new OperationalError(message, {
      hint: msg('errlang.mail.check-settings', { variable: SMTP_PASSWORD_ENV }),
    });
  };
  return {
    async send(m) {
      try {
        const info = (await transport.sendMail({
          from: settings.from,
          to: m.to,
          subject: m.subject,
          html: m.html,
          text: m.text,
          ...(m.attachments
            ? {
                attachments: m.attachments.map((a) => ({
                  filename: a.filename,
                  content: a.content,
                  contentType: a.contentType,
                  ...(a.cid ? { cid: a.cid } : {}),
                })),
              }
            : {}),
        })) as { messageId?: string };
        return { messageId: info.messageId ?? '' };
      } catch (err) {
        throw fail('envoi SMTP impossible', err);
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (err) {
        throw fail('connexion SMTP impossible', err);
      }
    },
    close() {
      transport.close();
    },
  };
}
