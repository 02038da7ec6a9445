import { ExitCode, VigieError, type ExitCode as ExitCodeType } from '../domain/index.js';

/**
 * An address or port the demo estate needs is not available: it stops rather than moving a server
 * to another port, which would change the estate (and the findings) the newcomer is shown.
 */
export class DemoAddressError extends VigieError {
  override name = 'DemoAddressError';
  override exitCode: ExitCodeType = ExitCode.Operational;
  constructor(
    readonly address: string,
    readonly port: number,
    readonly code: string,
    cause?: unknown,
  ) {
    super(
      code === 'EADDRNOTAVAIL'
        ? `la démonstration a besoin de l’adresse ${address}, absente de cette machine`
        : `la démonstration a besoin de ${address}:${port}, déjà pris par un autre programme (${code})`,
      {
        cause,
        hint:
          code === 'EADDRNOTAVAIL'
            ? `sous Linux toute adresse 127.x.y.z répond ; ailleurs, ajoutez-la (macOS : sudo ifconfig lo0 alias ${address} up), ou choisissez un autre réseau : vigie demo --network 127.42.0`
            : `arrêtez ce qui écoute sur ${address}:${port} (ss -ltnup | grep ${port}) — une autre démonstration lancée avec --keep ? — ou choisissez un autre réseau : vigie demo --network 127.42.0`,
      },
    );
  }
}

const BIND_ERRORS = new Set(['EADDRINUSE', 'EADDRNOTAVAIL', 'EACCES']);
const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;

/**
 * Starts a demo server that must listen on exactly `address:port`. A server that fell back to another
 * port is closed again; a bind error becomes a {@link DemoAddressError}.
 */
export async function onFixedPort<T extends { port: number; close(): Promise<void> }>(
  address: string,
  port: number,
  start: () => Promise<T>,
): Promise<T> {
  let started: T;
  try {
    started = await start();
  } catch (error) {
    const code = codeOf(error);
    if (code !== undefined && BIND_ERRORS.has(code)) throw new DemoAddressError(address, port, code, error);
    throw error;
  }
  if (started.port !== port) {
    await started.close();
    throw new DemoAddressError(address, port, 'EADDRINUSE');
  }
  return started;
}
