// One clock: every time the application writes to or compares with the database comes from the injected
// Clock (tests move it; services read it), never from the database's now(). A repo takes "now" from the
// clock bound to its database handle (transactions share it), so its signature needs no extra argument.
import type { Knex } from 'knex';
import { systemClock, type Clock } from '../shared/clock.ts';
import type { Db } from './knex.ts';

// Keyed by the knex client's config, which a transaction (and a nested one) shares with its knex instance.
const clocks = new WeakMap<object, Clock>();

/** Binds `clock` to `db` and every transaction opened on it (createApp does this with the app's clock). */
export function useClock(db: Knex, clock: Clock): void {
  clocks.set(db.client.config, clock);
}

/** The current time of the clock bound to `db` (the system clock when none is bound). */
export function dbNow(db: Db): Date {
  return (clocks.get(db.client.config) ?? systemClock).now();
}
