/** How {@link runPool} runs its items. */
export interface PoolOptions<T> {
  /** Items in flight at most (at least one): that many runners pull the items one after another. */
  size: number;
  /** Items of the same key run at most `perKey` at a time; the next items go ahead meanwhile. */
  keyOf?: (item: T) => string;
  perKey?: number;
}

/**
 * Runs `fn` over `items` with a fixed number of runners that pull the next item when they are free:
 * no promise per item is made up front, and an item is only read from the iterator when a runner
 * can start it (or must set it aside because its key is at its limit). A failure stops the runners
 * from starting new items; the first one is thrown once those in flight have ended.
 */
export async function runPool<T>(
  items: Iterable<T>,
  opts: PoolOptions<T>,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const perKey = Math.max(1, opts.perKey ?? Number.POSITIVE_INFINITY);
  const { keyOf } = opts;
  const active = new Map<string, number>();
  const waiting = new Map<string, T[]>();
  let exhausted = false;
  let failure: { error: unknown } | undefined;
  /** The next item of the iterator whose key has room; the others wait for their key. */
  const take = (): { item: T } | undefined => {
    while (!exhausted && !failure) {
      const next = iterator.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      const item = next.value;
      if (!keyOf) return { item };
      const key = keyOf(item);
      const busy = active.get(key) ?? 0;
      if (busy < perKey) {
        active.set(key, busy + 1);
        return { item };
      }
      const list = waiting.get(key);
      if (list) list.push(item);
      else waiting.set(key, [item]);
    }
    return undefined;
  };
  /** An item done: its key's slot goes to the next item waiting for that key, if any. */
  const release = (item: T): { item: T } | undefined => {
    if (!keyOf) return undefined;
    const key = keyOf(item);
    const list = waiting.get(key);
    if (list && !failure) {
      const next = list.shift()!;
      if (list.length === 0) waiting.delete(key);
      return { item: next };
    }
    const busy = (active.get(key) ?? 1) - 1;
    if (busy === 0) active.delete(key);
    else active.set(key, busy);
    return undefined;
  };
  const runner = async (): Promise<void> => {
    let current = take();
    while (current && !failure) {
      try {
        await fn(current.item);
      } catch (error) {
        failure ??= { error };
      }
      current = release(current.item) ?? take();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.size) }, runner));
  if (failure) throw failure.error;
}
