// Lookups that keep pace with the group commit (issue 8): a listener that reads one row per charger message
// costs a statement per message. A BatchLoader hands the keys asked for in one turn of the event loop to ONE
// fetch instead, and answers each caller from its result.

export interface BatchLoaderOptions {
  /** At most this many distinct keys per fetch; the others go into the next one (default 1000). */
  maxKeys?: number;
}

interface Waiter<K, V> {
  key: K;
  resolve(value: V | undefined): void;
  reject(err: unknown): void;
}

/**
 * Loads values by key in sets: the keys asked for in the same turn of the event loop are fetched with one
 * call of `fetch`, a key asked twice in a set is fetched once, and a key `fetch` leaves out loads as
 * undefined. A failed fetch rejects the loads of its set only. Nothing is cached across sets: every set
 * reads fresh values. The loads of a set resolve in the order they were asked for.
 */
export class BatchLoader<K, V> {
  private waiting: Array<Waiter<K, V>> = [];
  private isScheduled = false;
  private readonly maxKeys: number;

  constructor(
    private readonly fetch: (keys: K[]) => Promise<Map<K, V>>,
    o: BatchLoaderOptions = {},
  ) {
    this.maxKeys = o.maxKeys ?? 1000;
    if (!Number.isInteger(this.maxKeys) || this.maxKeys < 1) throw new RangeError(`maxKeys must be a positive integer, got ${this.maxKeys}`);
  }

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ key, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.isScheduled) return;
    this.isScheduled = true;
    setImmediate(() => {
      // the other keys of this turn have joined by now
      this.isScheduled = false;
      void this.dispatch(this.takeSet()); // never rejects: its loads carry a failure
      if (this.waiting.length > 0) this.schedule(); // past maxKeys: the rest joins the next turn's keys
    });
  }

  /** The loads of the first `maxKeys` distinct keys, in the order asked for; the others keep waiting. */
  private takeSet(): Array<Waiter<K, V>> {
    const keys = new Set<K>();
    const set: Array<Waiter<K, V>> = [];
    const rest: Array<Waiter<K, V>> = [];
    for (const w of this.waiting) {
      if (keys.has(w.key) || keys.size < this.maxKeys) {
        keys.add(w.key);
        set.push(w);
      } else rest.push(w);
    }
    this.waiting = rest;
    return set;
  }

  /** Never rejects: a failure goes to the loads of `set`, whose callers handle it. */
  private async dispatch(set: Array<Waiter<K, V>>): Promise<void> {
    let values: Map<K, V>;
    try {
      values = await this.fetch([...new Set(set.map((w) => w.key))]);
    } catch (err) {
      for (const w of set) w.reject(err);
      return;
    }
    for (const w of set) w.resolve(values.get(w.key));
  }
}
