import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';

type Row = Record<string, any>;

export interface AdhocPlace {
  locationId: string;
  accessMode: string;
  adhocAllowed: boolean;
  adhocMaxEnergyWh: number | null;
  adhocMaxAmount: number | null;
  chargePointId: string | null;
  /** The OCPP connectorId of the EVSE's first connector (null: none known yet). */
  connectorId: number | null;
}

export interface AdhocSession {
  id: number;
  idTag: string;
  locationId: string;
  evseUid: string;
  chargePointId: string;
  connectorId: number;
  maxEnergyWh: number | null;
  /** Incl. VAT, in the session's tariff currency. */
  maxAmount: number | null;
  status: string;
  createdAt: Date;
  sessionId: number | null;
  stopRequestedAt: Date | null;
}

const toAdhoc = (r: Row): AdhocSession => ({
  id: r.id, idTag: r.id_tag, locationId: r.location_id, evseUid: r.evse_uid, chargePointId: r.charge_point_id, connectorId: r.connector_id,
  maxEnergyWh: r.max_energy_wh, maxAmount: r.max_amount === null ? null : Number(r.max_amount), status: r.status, createdAt: r.created_at, sessionId: r.session_fk, stopRequestedAt: r.stop_requested_at,
});

/** The EVSE's location settings, charger and first connector; undefined for an unknown or removed EVSE. */
export async function findAdhocPlace(db: Db, evseUid: string): Promise<AdhocPlace | undefined> {
  const row = await db('evses as e')
    .join('locations as l', 'l.id', 'e.location_id')
    .leftJoin('connectors as c', (j) => j.on('c.evse_fk', 'e.id').andOn('c.charge_point_id', 'e.charge_point_id'))
    .where({ 'e.uid': evseUid, 'e.is_removed': false })
    .orderBy('c.connector_number')
    .first('l.id as location_id', 'l.access_mode', 'l.adhoc_allowed', 'l.adhoc_max_energy_wh', 'l.adhoc_max_amount', 'e.charge_point_id', 'c.connector_number');
  if (!row) return undefined;
  return { locationId: row.location_id, accessMode: row.access_mode, adhocAllowed: row.adhoc_allowed, adhocMaxEnergyWh: row.adhoc_max_energy_wh, adhocMaxAmount: row.adhoc_max_amount === null ? null : Number(row.adhoc_max_amount), chargePointId: row.charge_point_id, connectorId: row.connector_number ?? null };
}

export async function updateLocationAdhoc(db: Db, locationId: string, a: { allowed: boolean; maxEnergyWh: number | null; maxAmount: number | null }): Promise<number> {
  return db('locations').where({ id: locationId }).update({ adhoc_allowed: a.allowed, adhoc_max_energy_wh: a.maxEnergyWh, adhoc_max_amount: a.maxAmount });
}

export async function insertAdhocSession(db: Db, a: Omit<AdhocSession, 'id' | 'createdAt' | 'sessionId' | 'stopRequestedAt'> & { tokenId: number }): Promise<AdhocSession> {
  const [row] = await db('adhoc_sessions')
    .insert({ token_fk: a.tokenId, id_tag: a.idTag, location_id: a.locationId, evse_uid: a.evseUid, charge_point_id: a.chargePointId, connector_id: a.connectorId, max_energy_wh: a.maxEnergyWh, max_amount: a.maxAmount, status: a.status, created_at: dbNow(db) })
    .returning('*');
  return toAdhoc(row);
}

export async function updateAdhocStatus(db: Db, id: number, status: string): Promise<AdhocSession> {
  const [row] = await db('adhoc_sessions').where({ id }).update({ status }).returning('*');
  return toAdhoc(row);
}

export async function findAdhocSession(db: Db, id: number): Promise<AdhocSession | undefined> {
  const row = await db('adhoc_sessions').where({ id }).first();
  return row ? toAdhoc(row) : undefined;
}

/** The ad hoc row of an ACTIVE session not yet asked to stop, with the session's energy; undefined otherwise (most sessions). */
export async function findAdhocOfActiveSession(db: Db, sessionId: number): Promise<{ adhoc: AdhocSession; energyWh: number } | undefined> {
  const row = await db('adhoc_sessions as a')
    .join('sessions as s', 's.token_fk', 'a.token_fk')
    .where({ 's.id': sessionId, 's.status': 'ACTIVE' })
    .whereNull('a.stop_requested_at')
    .first('a.*', 's.energy_wh as session_energy_wh');
  return row ? { adhoc: toAdhoc(row), energyWh: Number(row.session_energy_wh) } : undefined;
}

/** findAdhocOfActiveSession for many sessions in one statement (those of a MeterValues batch). */
export async function listAdhocOfActiveSessions(db: Db, sessionIds: readonly number[]): Promise<Array<{ sessionId: number; adhoc: AdhocSession; energyWh: number }>> {
  if (sessionIds.length === 0) return [];
  const rows = await db('adhoc_sessions as a')
    .join('sessions as s', 's.token_fk', 'a.token_fk')
    .whereIn('s.id', sessionIds)
    .where({ 's.status': 'ACTIVE' })
    .whereNull('a.stop_requested_at')
    .select('a.*', 's.id as session_id', 's.energy_wh as session_energy_wh');
  return rows.map((row) => ({ sessionId: Number(row.session_id), adhoc: toAdhoc(row), energyWh: Number(row.session_energy_wh) }));
}

/** Claims the stop of an ad hoc session at its bound: true for exactly one caller (stop_requested_at set once). */
export async function claimAdhocStop(db: Db, adhocId: number, sessionId: number): Promise<boolean> {
  const rows = await db('adhoc_sessions').where({ id: adhocId }).whereNull('stop_requested_at').update({ stop_requested_at: dbNow(db), session_fk: sessionId }).returning('id');
  return rows.length === 1;
}

/** Blocks an ad hoc token (its start was rejected): it was good for one session only. */
export async function blockAdhocToken(db: Db, tokenId: number): Promise<void> {
  await db('id_tokens').where({ id: tokenId, type: 'AD_HOC_USER' }).update({ valid: false, last_updated: dbNow(db) });
}

/** Blocks the ad hoc token of a stopped session, if it was one; returns how many tokens were blocked. */
export async function blockAdhocTokenOfSession(db: Db, sessionId: number): Promise<number> {
  return db('id_tokens')
    .where({ type: 'AD_HOC_USER', valid: true })
    .whereIn('id', db('adhoc_sessions as a').join('sessions as s', 's.token_fk', 'a.token_fk').where('s.id', sessionId).select('a.token_fk'))
    .update({ valid: false, last_updated: dbNow(db) });
}
