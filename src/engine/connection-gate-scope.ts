import { AsyncLocalStorage } from 'node:async_hooks';
import type { ConnectionGate } from '../domain/index.js';

const scope = new AsyncLocalStorage<ConnectionGate>();

/**
 * Runs `fn` with `gate` in front of every connection the engine opens meanwhile, unless its options
 * name another: how a caller that does not build the engine's options (a worker's host job, through
 * the scan use case) still hands it the fleet's gate.
 */
export function withConnectionGate<T>(gate: ConnectionGate, fn: () => Promise<T>): Promise<T> {
  return scope.run(gate, fn);
}

/** The gate of the current `withConnectionGate`, if any. */
export function scopedConnectionGate(): ConnectionGate | undefined {
  return scope.getStore();
}
