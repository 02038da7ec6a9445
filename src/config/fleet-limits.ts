import { z } from 'zod';
import { UsageError } from '../domain/index.js';
import type { VigieConfig } from './schema.js';
import { msg, type MessageKey } from '../i18n/index.js';

/** What the whole fleet keeps to during one run: decided when the run is enqueued, carried by its jobs. */
export interface FleetLimits {
  /** Connections open at once to one address, whatever the number of workers. */
  maxPerTarget: number;
  /** Connections the whole fleet opens per second, at most; absent, no limit. */
  ratePerSecond?: number;
}

/** The per-host limit of the engine (endpoints of one host assessed at once), taken as the default K. */
export const DEFAULT_MAX_PER_TARGET = 8;

const maxPerTarget = z.coerce.number().int().min(1).max(1000);
const rate = z.coerce.number().positive().max(100_000);

function fromEnv<T>(
  env: NodeJS.ProcessEnv,
  name: string,
  schema: z.ZodType<T>,
  expected: MessageKey,
): T | undefined {
  const text = env[name];
  if (text === undefined || text.trim() === '') return undefined;
  const parsed = schema.safeParse(text.trim());
  if (parsed.success) return parsed.data;
  throw new UsageError(
    msg('distributed.fleet.env-invalid', { name, value: text.slice(0, 40) }, { expected: { key: expected } }),
    {
      hint: msg('distributed.fleet.env-invalid.hint'),
    },
  );
}

/**
 * The run's fleet limits: VIGIE_FLEET_MAX_PER_TARGET and VIGIE_FLEET_RATE (checked, a clear error
 * otherwise), else `distributed:` of vigie.yml (checked with the file), else K = 8 and no rate.
 */
export function fleetLimits(env: NodeJS.ProcessEnv = process.env, config?: VigieConfig): FleetLimits {
  const k =
    fromEnv(env, 'VIGIE_FLEET_MAX_PER_TARGET', maxPerTarget, 'distributed.fleet.expected.k') ??
    config?.distributed?.maxPerTarget ??
    DEFAULT_MAX_PER_TARGET;
  const r =
    fromEnv(env, 'VIGIE_FLEET_RATE', rate, 'distributed.fleet.expected.rate') ?? config?.distributed?.rate;
  return { maxPerTarget: k, ...(r === undefined ? {} : { ratePerSecond: r }) };
}
