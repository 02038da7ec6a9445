import nodemailer from 'nodemailer';
import { OperationalError } from '../domain/index.js';

/** SMTP settings of vigie.yml `mail:` (the password comes from VIGIE_SMTP_PASSWORD only). */
export interface MailSettings {
  host: string;
  port: number;
  /** true: implicit TLS; false: STARTTLS when the server offers it. */
  secure: boolean;
  user?: string | undefined;
  from: string;
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

/** Removes every occurrence of the secret (and its base64 forms, as seen in AUTH exchanges) from a text. */
export function scrubSecret(text: string, secret: string | undefined): string {
  if (!secret) return text;
  const forms = [secret, Buffer.from(secret).toString('base64')].filter((s) => s.length > 0);
  return forms.reduce((acc, s) => acc.split(s).join('***'), text);
}

/** A nodemailer SMTP transport behind vigie's small Mailer interface; failures are OperationalErrors. */
export function createMailer(settings: MailSettings, env: NodeJS.ProcessEnv): Mailer {
  const password = env[SMTP_PASSWORD_ENV];
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.user ? { auth: { user: settings.user, pass: password ?? '' } } : {}),
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
    const message = scrubSecret(
      `${what} (${settings.host}:${settings.port}) : ${raw}${typeof code === 'string' ? ` [${code}]` : ''}`,
      password,
    );
    return new OperationalError(message, {
      hint: `vérifiez mail: dans vigie.yml (hôte, port, secure, user) et ${SMTP_PASSWORD_ENV}`,
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
