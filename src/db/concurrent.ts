// Reads that may go out at the same time: on a pool (two connections on PostgreSQL) they do; inside a transaction
// (one connection) they run one after the other, since pg deprecates queuing a query on a client that is busy.
import { isTransaction } from './in-transaction.ts';
import type { Db } from './knex.ts';

/** Runs `reads` against `db` concurrently, or in order when `db` is a transaction; the results in the same order. */
export async function readTogether<T extends readonly unknown[]>(db: Db, reads: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  if (!isTransaction(db)) return (await Promise.all(reads.map((read) => read()))) as unknown as T;
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results as unknown as T;
}
