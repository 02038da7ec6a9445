import { StorageError } from '../../domain/index.js';
import { msg } from '../../i18n/index.js';

/**
 * PLACEHOLDER (until the pg-register branch is merged, which deletes this file): a repository
 * whose every method fails with a StorageError saying the area is not available on PostgreSQL yet.
 */
export function notYetRepository<R extends object>(area: string): R {
  return new Proxy({} as R, {
    get(_target, property) {
      // Not a thenable: `await` on the repository itself must not call a method.
      if (property === 'then' || typeof property === 'symbol') return undefined;
      return () => Promise.reject(new StorageError(msg('pgcore.not-implemented', { area })));
    },
  });
}
