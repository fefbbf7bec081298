import { dbNow } from '../db/clock.ts';
import { recordFailedLogin, resetFailedLogins } from '../db/failed-logins.ts';
import type { Db } from '../db/knex.ts';

type Row = Record<string, any>;

/** What a driver's login checks. */
export interface DriverCredentials {
  id: number;
  name: string;
  email: string;
  passwordHash: string | null;
  failedAttempts: number;
  lockedUntil: Date | null;
}

export async function findDriverCredentialsByEmail(db: Db, email: string): Promise<DriverCredentials | undefined> {
  const r = await db('drivers').whereRaw('lower(email) = lower(?)', [email]).first('id', 'name', 'email', 'password_hash', 'failed_attempts', 'locked_until');
  return r ? { id: r.id, name: r.name, email: r.email, passwordHash: r.password_hash ?? null, failedAttempts: r.failed_attempts, lockedUntil: r.locked_until ?? null } : undefined;
}

export const recordDriverFailedLogin = (db: Db, id: number, o: { maxFailed: number; lockedUntil: Date }): Promise<Date | null> => recordFailedLogin(db, 'drivers', id, o);

export const resetDriverFailedLogins = (db: Db, id: number): Promise<void> => resetFailedLogins(db, 'drivers', id);

/** Sets the password (and lifts a lock-out); returns how many rows changed (0: no such driver). */
export async function updateDriverPassword(db: Db, id: number, passwordHash: string): Promise<number> {
  return db('drivers').where({ id }).update({ password_hash: passwordHash, failed_attempts: 0, locked_until: null, updated_at: dbNow(db) });
}

export async function insertDriverSession(db: Db, s: { driverId: number; tokenHash: string; expiresAt: Date }): Promise<void> {
  await db('driver_sessions').insert({ driver_fk: s.driverId, token_hash: s.tokenHash, created_at: dbNow(db), expires_at: s.expiresAt });
}

/** The unexpired session of `tokenHash`. */
export async function findLiveDriverSession(db: Db, tokenHash: string): Promise<{ sessionId: number; driverId: number } | undefined> {
  const r = await db('driver_sessions').where('token_hash', tokenHash).where('expires_at', '>', dbNow(db)).first('id', 'driver_fk');
  return r ? { sessionId: r.id, driverId: r.driver_fk } : undefined;
}

export async function deleteDriverSession(db: Db, id: number): Promise<void> {
  await db('driver_sessions').where({ id }).delete();
}

/** Every session of the driver, or only the expired ones. */
export async function deleteDriverSessions(db: Db, driverId: number, o: { expiredOnly: boolean }): Promise<void> {
  const q = db('driver_sessions').where({ driver_fk: driverId });
  if (o.expiredOnly) q.where('expires_at', '<=', dbNow(db));
  await q.delete();
}

/** A driver's own token (of the operator's, not blocked) by id. */
export async function findOwnToken(db: Db, driverId: number, tokenId: number): Promise<{ id: number; uid: string; valid: boolean; whitelist: string | null } | undefined> {
  const r = await db('id_tokens').where({ id: tokenId, driver_fk: driverId }).whereNull('partner_fk').first('id', 'uid', 'valid', 'whitelist');
  return r ? { id: r.id, uid: r.uid, valid: r.valid, whitelist: r.whitelist ?? null } : undefined;
}

/** One of the driver's tokens' sessions, with its CDR once billed. */
export interface DriverHistoryRow {
  id: number;
  status: string;
  chargePointId: string;
  evseUid: string | null;
  tokenUid: string;
  startAt: Date;
  stopAt: Date | null;
  energyWh: number;
  cdrId: string | null;
  cdrTotalInclVat: number | null;
  cdrCurrency: string | null;
}

const toHistory = (r: Row): DriverHistoryRow => ({
  id: r.id, status: r.status, chargePointId: r.charge_point_id, evseUid: r.evse_uid ?? null, tokenUid: r.id_tag, startAt: r.start_at, stopAt: r.stop_at ?? null,
  energyWh: Number(r.energy_wh ?? 0), cdrId: r.cdr_id ?? null, cdrTotalInclVat: r.total_cost_incl_vat === null || r.total_cost_incl_vat === undefined ? null : Number(r.total_cost_incl_vat), cdrCurrency: r.cdr_currency ?? null,
});

function historyQuery(db: Db, driverId: number) {
  return db('sessions as s')
    .join('id_tokens as t', 't.id', 's.token_fk')
    // The newest CDR that is not a credit: a replacement CDR (cdrs §10.2.1.1) wins over the one it replaces.
    .leftJoin(db.raw('lateral (select d1.* from cdrs d1 where d1.session_fk = s.id and not d1.credit order by d1.id desc limit 1) d on true'))
    .where('t.driver_fk', driverId)
    .select('s.id', 's.status', 's.charge_point_id', 's.evse_uid', 's.id_tag', 's.start_at', 's.stop_at', 's.energy_wh', 'd.cdr_id', 'd.total_cost_incl_vat', 'd.currency as cdr_currency');
}

/** The sessions of the driver's tokens, newest first. */
export async function listDriverHistory(db: Db, driverId: number, page: { limit: number; offset: number }): Promise<DriverHistoryRow[]> {
  return (await historyQuery(db, driverId).orderBy('s.id', 'desc').limit(page.limit).offset(page.offset)).map(toHistory);
}

export async function findDriverHistorySession(db: Db, driverId: number, sessionId: number): Promise<DriverHistoryRow | undefined> {
  const r = await historyQuery(db, driverId).where('s.id', sessionId).first();
  return r ? toHistory(r) : undefined;
}

/** The uid of an EVSE (not removed) by its uid or its printed EVSE ID. */
export async function findEvseUid(db: Db, evseUidOrId: string): Promise<string | undefined> {
  const r = await db('evses').where({ is_removed: false }).where((w) => w.where('uid', evseUidOrId).orWhere('evse_id', evseUidOrId)).orderBy('uid').first('uid');
  return r?.uid;
}
