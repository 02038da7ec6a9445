import pLimit from 'p-limit';

/** Runs `fn` over `items` with at most `limit` (at least one) in flight; the results in `items`' order. */
export function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const run = pLimit(Math.max(1, limit));
  return Promise.all(items.map((item) => run(() => fn(item))));
}
