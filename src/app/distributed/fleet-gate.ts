import type { ConnectionGate } from '../../domain/index.js';
import { fleetRate, targetSemaphore, type QueueConnection } from '../../queue/index.js';
import type { FleetLimits } from '../../config/index.js';

/** The fleet's gate, and how to let go of Redis. */
export interface FleetGate extends ConnectionGate {
  close(): Promise<void>;
}

/**
 * The engine's connection gate for a worker: a slot of the address among `maxPerTarget` (a lease
 * in Redis, renewed while held, free again `leaseMs` after its holder died), then a unit of the
 * fleet's rate when there is one. The slot is taken first: the rate then spaces the connections
 * that actually start.
 */
export function fleetGate(c: QueueConnection, limits: FleetLimits, leaseMs: number): FleetGate {
  const slots = targetSemaphore(c, { limit: limits.maxPerTarget, leaseMs });
  const rate = limits.ratePerSecond === undefined ? undefined : fleetRate(c, limits.ratePerSecond);
  return {
    acquire: async (address, signal) => {
      const release = await slots.acquire(address, signal);
      try {
        await rate?.take(signal);
      } catch (error) {
        release();
        throw error;
      }
      return release;
    },
    close: async () => {
      await Promise.all([slots.close(), rate?.close()]);
    },
  };
}
