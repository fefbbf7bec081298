// The timers of one simulated charger, so that stopping it clears every one of them at once.

export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();
  private stopped = false;

  /** Runs `fn` after `ms` (never once stopped). Returns a cancel function. */
  after(ms: number, fn: () => void): () => void {
    if (this.stopped) return () => undefined;
    const t = setTimeout(() => {
      this.pending.delete(t);
      fn();
    }, Math.max(0, ms));
    this.pending.add(t);
    return () => {
      clearTimeout(t);
      this.pending.delete(t);
    };
  }

  /** Clears every pending timer; with `forever`, refuses new ones. */
  clear(forever = false): void {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
    if (forever) this.stopped = true;
  }
}
