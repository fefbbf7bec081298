// Fan-out that keeps pace with the group commit (issue 8): a listener that looks up each event on its own
// costs a statement per charger message, queued in the pool ahead of the writer. A KeyCoalescer hands the
// keys of all events published meanwhile to ONE run instead: one statement for a whole batch.

export interface KeyCoalescerOptions {
  /**
   * Runs start at least this far apart (default 0): a key added long after the last run goes at the next
   * turn, but under a steady flow of keys (a MeterValues batch every few milliseconds) the keys of this
   * long form one set, and the run costs its statements a few times a second instead of per batch.
   */
  minIntervalMs?: number;
}

/**
 * Gathers keys and runs `run` over them in sets, one run at a time: the keys added in the same turn of the
 * event loop, or while a run is going on (or waiting for its interval), form the next set; a key added twice
 * before its run counts once. A failed run is reported to `onError` and the keys added later still run.
 */
export class KeyCoalescer<K> {
  private pending = new Set<K>();
  private running: Promise<void> | undefined;
  private lastRunAt = -Infinity;

  constructor(
    private readonly run: (keys: K[]) => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly o: KeyCoalescerOptions = {},
  ) {}

  add(key: K): void {
    this.pending.add(key);
    this.running ??= this.drain();
  }

  /** Resolves once every key added so far has been run. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const wait = this.lastRunAt + (this.o.minIntervalMs ?? 0) - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await new Promise((resolve) => setImmediate(resolve)); // the other keys of this turn join the set
        this.lastRunAt = performance.now();
        const keys = [...this.pending];
        this.pending.clear();
        try {
          await this.run(keys);
        } catch (err) {
          this.onError(err);
        }
      }
    } finally {
      this.running = undefined;
    }
  }
}
