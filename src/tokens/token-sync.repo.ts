import type { Db } from '../db/knex.ts';

/** date_from of the next pull from this partner: the start of its last successful token-sync run. */
export async function findLastSyncStart(db: Db, partnerFk: number): Promise<Date | undefined> {
  const row = await db('token_sync_state').where({ partner_fk: partnerFk }).first('last_success_started_at');
  return row?.last_success_started_at ?? undefined;
}

export async function recordSyncSuccess(db: Db, partnerFk: number, startedAt: Date, at: Date): Promise<void> {
  const fields = { last_success_started_at: startedAt, last_run_at: at, last_error: null };
  await db('token_sync_state').insert({ partner_fk: partnerFk, ...fields }).onConflict('partner_fk').merge(fields);
}

/** A failed pull keeps the previous date_from, so that the next run fetches what this one missed. */
export async function recordSyncFailure(db: Db, partnerFk: number, at: Date, error: string): Promise<void> {
  const fields = { last_run_at: at, last_error: error.slice(0, 2000) };
  await db('token_sync_state').insert({ partner_fk: partnerFk, ...fields }).onConflict('partner_fk').merge(fields);
}
