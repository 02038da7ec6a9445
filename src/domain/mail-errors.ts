import { ExitCode } from './exit-code.js';
import { OperationalError, VigieError } from './errors.js';

/**
 * The SMTP server did not give the encrypted channel vigie requires before authenticating (no
 * STARTTLS, or a TLS handshake that failed): no credentials were sent, no mail either. Exit 4.
 */
export class SmtpTlsRequiredError extends OperationalError {
  override name = 'SmtpTlsRequiredError';
}

/**
 * Plain SMTP was asked for (`mail.allowPlaintextLoopback`) where vigie never allows it: with a
 * password or a user, or towards a relay that is not on the loopback. Exit 3.
 */
export class SmtpPlaintextRefusedError extends VigieError {
  override name = 'SmtpPlaintextRefusedError';
  override exitCode: ExitCode = ExitCode.InvalidInput;
}
