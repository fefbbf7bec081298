/**
 * Bounds expensive work: at most `maxActive` tasks run at once, at most `maxQueued` wait for a slot, and a
 * task beyond that is refused at once (not run, not queued), so that a flood costs a bounded amount.
 */
export class WorkGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly maxActive: number,
    private readonly maxQueued: number,
  ) {}

  /** Runs `work` when a slot is free; `{ ran: false }` when every slot and queue place is taken. */
  async run<T>(work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    if (this.active >= this.maxActive) {
      if (this.waiting.length >= this.maxQueued) return { ran: false };
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return { ran: true, value: await work() };
    } finally {
      // The slot passes straight to the next waiter (active stays the same), or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }

  /** Tasks running and waiting now. */
  get load(): { active: number; queued: number } {
    return { active: this.active, queued: this.waiting.length };
  }
}
