import { ExitCode, VigieError } from '../domain/index.js';

/** The configuration file (`vigie.yml`) does not exist where it was looked for. */
export class ConfigNotFoundError extends VigieError {
  override name = 'ConfigNotFoundError';
  override exitCode: ExitCode = ExitCode.InvalidInput;
  constructor(
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(`fichier de configuration introuvable : ${file}`, {
      ...(options?.cause === undefined ? {} : { cause: options.cause }),
      hint: 'lancez `vigie init` ou passez --inventory FICHIER',
    });
  }
}
