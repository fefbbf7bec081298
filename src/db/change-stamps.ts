// Change stamps (migration 20261207070000_change_stamps): one counter per scope, bumped once by every committed
// transaction that changes what the scope shows. A reader that keeps an answer built after reading stamp N may
// serve it again while the stamp is still N, on any node.
import type { Db } from './knex.ts';

export type ChangeScope = 'ocpi_locations';

/** The scope's current stamp (an int8, as a string). */
export async function readChangeStamp(db: Db, scope: ChangeScope): Promise<string> {
  const row = await db('change_stamps').where({ scope }).first('stamp');
  if (!row) throw new Error(`change stamp ${scope} missing: run the migrations`);
  return String(row.stamp);
}
