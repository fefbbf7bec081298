// Bounded work per turn of the event loop (issue 8, reconnect storm): when a batch of hundreds of handshake
// lookups, boots or connection records commits, every waiting caller would go on in the same turn, and a
// node under a storm stalled for more than a second with nothing else served (other chargers' calls, the
// admin API). Callers that take a turn go on while the current slice has budget left; the others wait for
// a later turn, after the event loop has polled its sockets and run its timers.

export interface TurnSlicerOptions {
  /** Milliseconds of work a slice may take before the next callers wait for a later turn. */
  budgetMs: number;
  /** Monotonic milliseconds (default performance.now). */
  now?: () => number;
  /** Runs `fn` at a later turn of the event loop, after I/O is polled (default setImmediate). */
  later?: (fn: () => void) => void;
}

export class TurnSlicer {
  /** When the current slice began; undefined between slices. */
  private sliceStart: number | undefined;
  private sliceEnd: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly later: (fn: () => void) => void;

  constructor(private readonly o: TurnSlicerOptions) {
    if (!(o.budgetMs > 0)) throw new RangeError('budgetMs must be positive');
    this.now = o.now ?? (() => performance.now());
    this.later = o.later ?? ((fn) => void setImmediate(fn));
  }

  /**
   * Resolves at once while the current slice has budget left, otherwise in a later slice. The work a caller
   * does after its turn (up to its next await) counts against the slice, as it runs before the next caller
   * is let through.
   */
  async turn(): Promise<void> {
    for (;;) {
      const now = this.now();
      if (this.sliceStart === undefined) this.open(now);
      if (now - this.sliceStart! < this.o.budgetMs) return;
      await this.sliceEnd;
    }
  }

  /** A slice lasts until the next turn of the event loop; whoever waited then tries again. */
  private open(now: number): void {
    this.sliceStart = now;
    this.sliceEnd = new Promise<void>((resolve) =>
      this.later(() => {
        this.sliceStart = undefined;
        resolve();
      }),
    );
  }
}

/** The process's slicer: one budget per turn of the event loop, shared by every writer that lets callers go on. */
export const eventLoopSlices = new TurnSlicer({ budgetMs: 10 });
