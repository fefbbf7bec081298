// Lock-out of emails that belong to no account, in memory on this node: a login for an unknown email is
// locked after as many failures as a real account would be, so that the lock-out does not tell which
// emails have an account (issue 9: no user enumeration). Real accounts are locked in the database.
import type { Clock } from '../shared/clock.ts';

interface Entry {
  failures: number;
  lockedUntil: number;
}

export class UnknownEmailLockout {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly o: { clock: Clock; maxFailed: number; lockoutMs: number; maxEntries: number }) {}

  /** When the email is locked, the time it will be free again. */
  lockedUntil(email: string): Date | undefined {
    const e = this.entries.get(email.toLowerCase());
    return e && e.lockedUntil > this.o.clock.now().getTime() ? new Date(e.lockedUntil) : undefined;
  }

  /** Counts a failure; returns the lock when this one locked the email. */
  recordFailure(email: string): Date | undefined {
    const key = email.toLowerCase();
    const e = this.entries.get(key) ?? { failures: 0, lockedUntil: 0 };
    this.entries.delete(key); // re-inserted last: the map's order is the eviction order
    e.failures += 1;
    let locked: Date | undefined;
    if (e.failures >= this.o.maxFailed) {
      e.failures = 0;
      e.lockedUntil = this.o.clock.now().getTime() + this.o.lockoutMs;
      locked = new Date(e.lockedUntil);
    }
    this.entries.set(key, e);
    if (this.entries.size > this.o.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return locked;
  }
}
