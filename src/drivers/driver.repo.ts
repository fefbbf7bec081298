import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import { translatePg } from '../db/pg-errors.ts';
import type { Driver } from './driver.types.ts';

type Row = Record<string, any>;

const toDriver = (r: Row): Driver => ({ id: r.id, name: r.name, email: r.email, createdAt: r.created_at, updatedAt: r.updated_at });

export async function insertDriver(db: Db, d: { name: string; email: string | null }): Promise<Driver> {
  const now = dbNow(db);
  const [row] = await translatePg(`driver ${d.email ?? d.name}`, () => db('drivers').insert({ name: d.name, email: d.email, created_at: now, updated_at: now }).returning('*'));
  return toDriver(row);
}

export async function findDriver(db: Db, id: number): Promise<Driver | undefined> {
  const row = await db('drivers').where({ id }).first();
  return row ? toDriver(row) : undefined;
}

export async function listDrivers(db: Db, page: { limit: number; offset: number }): Promise<Driver[]> {
  return (await db('drivers').orderBy('id').limit(page.limit).offset(page.offset)).map(toDriver);
}

/** Returns the updated driver, or undefined when there is none with this id. */
export async function updateDriver(db: Db, id: number, d: { name?: string; email?: string | null }): Promise<Driver | undefined> {
  const [row] = await translatePg(`driver ${d.email ?? id}`, () => db('drivers').where({ id }).update({ ...d, updated_at: dbNow(db) }).returning('*'));
  return row ? toDriver(row) : undefined;
}

/** Deletes the driver (its tokens stay, without an owner); returns how many rows went. */
// .returning: PGlite answers a bare delete with its raw result, not a count.
export async function deleteDriver(db: Db, id: number): Promise<number> {
  return (await db('drivers').where({ id }).delete().returning('*')).length;
}

/** Sets (or clears with null) the owner of one of the operator's own tokens; returns how many rows changed. */
export async function updateTokenDriver(db: Db, tokenId: number, driverId: number | null): Promise<number> {
  return translatePg(`token ${tokenId}`, () => db('id_tokens').where({ id: tokenId }).whereNull('partner_fk').update({ driver_fk: driverId, last_updated: dbNow(db) }));
}

/** The tokens a driver owns, as the admin API lists them. */
export async function listTokensOfDriver(db: Db, driverId: number): Promise<Array<{ id: number; uid: string; type: string; visualNumber: string | null; valid: boolean }>> {
  const rows = await db('id_tokens').where({ driver_fk: driverId }).orderBy('id').select('id', 'uid', 'type', 'visual_number', 'valid');
  return rows.map((r: Row) => ({ id: r.id, uid: r.uid, type: r.type, visualNumber: r.visual_number, valid: r.valid }));
}
