import type { Db } from '../db/knex.ts';

/**
 * Locks the token's row until the end of the transaction (`select … for update`): decisions about one
 * token taken in transactions that lock it first are made one after the other (OCPP 1.6 §7.2 ConcurrentTx).
 */
export async function lockToken(db: Db, tokenFk: number): Promise<void> {
  await db('id_tokens').where({ id: tokenFk }).forUpdate().first('id');
}
