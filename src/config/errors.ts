import { ExitCode, VigieError } from '../domain/index.js';
import { msg } from '../i18n/index.js';

/** The configuration file (`vigie.yml`) does not exist where it was looked for. */
export class ConfigNotFoundError extends VigieError {
  override name = 'ConfigNotFoundError';
  override exitCode: ExitCode = ExitCode.InvalidInput;
  constructor(
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(msg('errlang.config.not-found', { file }), {
      ...(options?.cause === undefined ? {} : { cause: options.cause }),
      hint: msg('errlang.config.not-found.hint'),
    });
  }
}
