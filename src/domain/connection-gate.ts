/**
 * A gate in front of every connection the probes open: before connecting to an address, a probe
 * takes a slot of that address (and whatever else the gate asks, a token of a global rate), and
 * gives it back once the connection is closed. The engine knows only this interface; distributed
 * scanning supplies one shared by the whole fleet (Redis), so that K connections at most reach one
 * address whatever the number of workers.
 */
export interface ConnectionGate {
  /** Waits until a connection to `address` may open; resolves to the release, called once closed. */
  acquire(address: string, signal?: AbortSignal): Promise<() => void>;
}

/** Runs `open` (which opens, uses and closes its connections one after another) through the gate. */
export async function throughGate<T>(
  gate: ConnectionGate | undefined,
  address: string,
  open: () => Promise<T>,
): Promise<T> {
  if (!gate) return open();
  const release = await gate.acquire(address);
  try {
    return await open();
  } finally {
    release();
  }
}
