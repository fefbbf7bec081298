// Failed-login counting of an account table (operators, drivers): one statement, so that concurrent failures
// each count and the lock is set by the one that reaches the limit (the counter then starts again).
import type { Db } from './knex.ts';

export type AccountTable = 'operators' | 'drivers';

/** Counts a failed login of `id`; locks it until `lockedUntil` at `maxFailed` in a row. Returns the lock in force. */
export async function recordFailedLogin(db: Db, table: AccountTable, id: number, o: { maxFailed: number; lockedUntil: Date }): Promise<Date | null> {
  const { rows } = await db.raw(
    `update ?? set
       locked_until = case when failed_attempts + 1 >= ? then ?::timestamptz else locked_until end,
       failed_attempts = case when failed_attempts + 1 >= ? then 0 else failed_attempts + 1 end
     where id = ? returning locked_until`,
    [table, o.maxFailed, o.lockedUntil, o.maxFailed, id],
  );
  return rows[0]?.locked_until ?? null;
}

export async function resetFailedLogins(db: Db, table: AccountTable, id: number): Promise<void> {
  await db(table).where({ id }).update({ failed_attempts: 0, locked_until: null });
}
