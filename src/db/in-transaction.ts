import type { Knex } from 'knex';
import type { Db } from './knex.ts';

/** Runs `work` in `db` when it is a transaction already, otherwise in a transaction of its own. */
export function inTransaction<T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return 'isTransaction' in db && db.isTransaction === true ? work(db as Knex.Transaction) : db.transaction(work);
}
