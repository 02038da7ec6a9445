import { ExitCode, VigieError, type ExitCode as ExitCodeType } from '../domain/index.js';
import { msg } from '../i18n/index.js';

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
    const missing = code === 'EADDRNOTAVAIL';
    super(
      missing
        ? msg('texts2.demo.address-missing', { address })
        : msg('texts2.demo.address-taken', { address, port, code }),
      {
        cause,
        hint: missing
          ? msg('texts2.demo.address-missing.hint', { address })
          : msg('texts2.demo.address-taken.hint', { address, port }),
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
