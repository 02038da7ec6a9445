import type { Check } from '../check.js';
import { fail, pass } from '../check.js';

/** What the SMTP session of an MX host showed before any TLS: its greeting and EHLO keywords. */
export interface SmtpObservation {
  /** Text of the 220 greeting. */
  banner: string;
  /** STARTTLS is among the EHLO keywords. */
  starttls: boolean;
}

const starttlsMissing: Check<SmtpObservation> = {
  id: 'mail.starttls.missing',
  evaluate(obs, ctx) {
    return obs.starttls
      ? pass()
      : fail({ host: ctx.endpoint.host, port: ctx.endpoint.port, banner: obs.banner || '—' });
  },
};

/** The checks of an MX host's SMTP session (its TLS, through STARTTLS, is the TLS family's). */
export const smtpChecks: readonly Check<SmtpObservation>[] = [starttlsMissing];
