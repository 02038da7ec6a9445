import { runPool } from './run-pool.js';

/** Runs `fn` over `items` with at most `limit` (at least one) in flight; the results in `items`' order. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  await runPool(items.keys(), { size: limit }, async (i) => {
    results[i] = await fn(items[i]!);
  });
  return results;
}
