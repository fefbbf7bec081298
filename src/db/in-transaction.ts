import type { Knex } from 'knex';
import type { Db } from './knex.ts';

/** Whether `db` is a transaction (one connection) rather than the database's pool. */
export function isTransaction(db: Db): db is Knex.Transaction {
  return 'isTransaction' in db && db.isTransaction === true;
}

/** Runs `work` in `db` when it is a transaction already, otherwise in a transaction of its own. */
export function inTransaction<T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return isTransaction(db) ? work(db) : db.transaction(work);
}
