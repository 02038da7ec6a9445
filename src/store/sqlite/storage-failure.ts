import { StorageError, VigieError } from '../../domain/index.js';

const ENV_HINT = 'ou choisissez un autre répertoire de données avec VIGIE_DATA_DIR';

/** Turns the SQLite (or file system) error code into what the user can do about it, in French. */
export function storageHint(code: string | undefined): string {
  const c = code ?? '';
  if (c.startsWith('SQLITE_BUSY') || c.startsWith('SQLITE_LOCKED')) {
    return 'la base est verrouillée par un autre processus vigie (le démon ?) : réessayez dans un instant.';
  }
  if (c.startsWith('SQLITE_CORRUPT') || c === 'SQLITE_NOTADB') {
    return `le fichier est corrompu ou n'est pas une base vigie : restaurez une sauvegarde, ou déplacez-le pour repartir d'une base vide, ${ENV_HINT}.`;
  }
  if (c === 'SQLITE_FULL' || c === 'ENOSPC') {
    return "le disque est plein : libérez de l'espace, " + ENV_HINT + '.';
  }
  if (c.startsWith('SQLITE_IOERR')) {
    return `erreur d'entrée-sortie : vérifiez le disque et l'espace libre, ${ENV_HINT}.`;
  }
  if (c.startsWith('SQLITE_CONSTRAINT')) {
    return 'les données à enregistrer sont incohérentes (empreinte en double, valeur hors domaine) : anomalie interne, signalez-la.';
  }
  return `vérifiez que le répertoire existe, est un répertoire et est accessible en écriture (droits), ${ENV_HINT}.`;
}

function codeOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * Wraps a low-level failure in a StorageError saying what failed and on which file, with a hint.
 * VigieErrors raised on purpose pass through unchanged.
 */
export function toStorageError(error: unknown, what: string, file: string): VigieError {
  if (error instanceof VigieError) return error;
  const code = codeOf(error);
  const reason = error instanceof Error ? error.message : String(error);
  return new StorageError(`${what} (${file}) : ${reason}${code === undefined ? '' : ` [${code}]`}`, {
    cause: error,
    hint: storageHint(code),
  });
}

/** Runs `fn`, rethrowing any failure as a StorageError about `file`. */
export function guard<T>(what: string, file: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toStorageError(error, what, file);
  }
}
