/**
 * Runs `write` on the items one after the other in the order of their `key`, and returns the results in the
 * items' own order. Batch transactions that lock rows this way (the group-commit writers, the last-seen
 * flush) lock them in the same order, so two of them wait for each other instead of deadlocking.
 */
export async function writeInKeyOrder<T, R>(items: readonly T[], key: (item: T) => string, write: (item: T) => Promise<R>): Promise<R[]> {
  const order = items.map((_, i) => i).sort((a, b) => {
    const ka = key(items[a]!);
    const kb = key(items[b]!);
    return ka < kb ? -1 : ka > kb ? 1 : a - b;
  });
  const results = new Array<R>(items.length);
  for (const i of order) results[i] = await write(items[i]!);
  return results;
}
