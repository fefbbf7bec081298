// Pure: no I/O, no clock (the caller passes `now`). A bounded in-memory memo with per-entry expiry and an
// epoch that guards against filling it with a value read before an invalidation.

/**
 * Entries expire at their own time; `clear()` drops them all and starts a new epoch, and a value read
 * while the epoch changed (an invalidation raced the read) is not stored. Past `maxEntries` the oldest
 * entry is dropped.
 */
export class TtlMemo<V> {
  private readonly entries = new Map<string, { value: V; expiresAtMs: number }>();
  private currentEpoch = 0;

  constructor(private readonly maxEntries: number) {}

  /** Take it before reading the value to store, and pass it to `set`. */
  epoch(): number {
    return this.currentEpoch;
  }

  /** The value stored for `key`, unless it expired at `nowMs` (then it is dropped). */
  get(key: string, nowMs: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs > nowMs) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Stores `value` until `expiresAtMs`, unless the memo was cleared since `epoch` was taken. */
  set(key: string, value: V, expiresAtMs: number, epoch: number): void {
    if (epoch !== this.currentEpoch) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expiresAtMs });
  }

  clear(): void {
    this.currentEpoch += 1;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
