import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { failed, observed, type Outcome } from '../../domain/index.js';

/**
 * Resolves a host name once, with a deadline (the system resolver has none of its own), so every
 * probe of the host targets the same address and an unknown name is reported once per endpoint
 * instead of being rediscovered by each connection. IP literals come back as they are.
 */
export async function resolveHost(host: string, timeoutMs: number): Promise<Outcome<string>> {
  if (isIP(host)) return observed(host);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Outcome<string>>((resolve) => {
    timer = setTimeout(
      () => resolve(failed('dns', `pas de réponse du résolveur en ${timeoutMs} ms pour ${host}`)),
      timeoutMs,
    );
  });
  const lookup = dns.lookup(host).then(
    ({ address }) => observed(address),
    (error: NodeJS.ErrnoException) =>
      failed<string>('dns', `nom inconnu : ${host} (${error.code ?? error.message})`),
  );
  try {
    return await Promise.race([lookup, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
