import type { Knex } from 'knex';
import type { BatchSink } from './group-commit.ts';
import { isDatabaseUnavailable } from './pg-errors.ts';

/**
 * A group-commit sink on the database: a batch is written by `write` in one transaction, and a retried
 * item by the same `write` with that item alone in a transaction of its own; not when the database itself
 * is unavailable (each retry would fail too, after its own connection timeout).
 */
export function transactionSink<T, R>(db: Knex, write: (trx: Knex.Transaction, items: readonly T[]) => Promise<R[]>): BatchSink<T, R> {
  return {
    writeBatch: (items) => db.transaction((trx) => write(trx, items)),
    writeOne: async (item) => (await db.transaction((trx) => write(trx, [item])))[0]!,
    isRetryable: (err) => !isDatabaseUnavailable(err),
  };
}
