import type { Knex } from 'knex';
import type { BatchSink } from './group-commit.ts';
import { isDatabaseUnavailable } from './pg-errors.ts';

/**
 * A group-commit sink on the database: a batch is written by `write` in one transaction, and a retried
 * item by the same `write` with that item alone in a transaction of its own; not when the database itself
 * is unavailable (each retry would fail too, after its own connection timeout).
 */
export function transactionSink<T, R>(db: Knex, write: (trx: Knex.Transaction, items: readonly T[]) => Promise<R[]>): BatchSink<T, R> {
  return batchSink((items) => db.transaction((trx) => write(trx, items)));
}

/**
 * The same for a `write` that commits what it wrote before it resolves, in a transaction or a single
 * statement of its own choosing.
 */
export function batchSink<T, R>(write: (items: readonly T[]) => Promise<R[]>): BatchSink<T, R> {
  return {
    writeBatch: write,
    writeOne: async (item) => (await write([item]))[0]!,
    isRetryable: (err) => !isDatabaseUnavailable(err),
  };
}
