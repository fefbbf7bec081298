import type { Db } from '../db/knex.ts';
import type { AccessMode, AccessPlace, AccessRefusal, AccessRule } from './driver.types.ts';
import { toAccessRule } from './group.repo.ts';

type Row = Record<string, any>;

/**
 * The access rules of every group the owner of token `tokenId` belongs to (none for a token without a
 * driver): one query per authorization.
 */
export async function listRulesOfToken(db: Db, tokenId: number): Promise<AccessRule[]> {
  const rows = await db('access_rules as r')
    .join('driver_group_members as m', 'm.group_fk', 'r.group_fk')
    .join('id_tokens as t', 't.driver_fk', 'm.driver_fk')
    .where('t.id', tokenId)
    .orderBy('r.id')
    .select('r.*');
  return rows.map(toAccessRule);
}

/**
 * Where a charger's connector is (or the charger, connectorId undefined or 0): its location's access mode
 * and time zone, and the EVSE uids asked about. Undefined when the charger is not at a location.
 */
export async function findAccessPlace(db: Db, chargePointId: string, connectorId?: number): Promise<AccessPlace | undefined> {
  const rows: Row[] = await db('charge_points as cp')
    .join('locations as l', 'l.id', 'cp.location_id')
    .leftJoin('evses as e', (j) => j.on('e.charge_point_id', 'cp.id').andOn('e.location_id', 'l.id').andOnVal('e.is_removed', false))
    .leftJoin('connectors as c', (j) => j.on('c.evse_fk', 'e.id'))
    .where('cp.id', chargePointId)
    .select('l.id as location_id', 'l.access_mode', 'l.time_zone', 'e.uid as evse_uid', 'c.connector_number');
  if (rows.length === 0) return undefined;
  const atConnector = connectorId ? rows.filter((r) => r.connector_number === connectorId && r.evse_uid) : [];
  const chosen = atConnector.length > 0 ? atConnector : rows.filter((r) => r.evse_uid);
  const evseUids = [...new Set(chosen.map((r) => r.evse_uid as string))];
  return { locationId: rows[0].location_id, accessMode: rows[0].access_mode as AccessMode, timeZone: rows[0].time_zone, evseUids };
}

export async function insertAccessRefusal(db: Db, r: Omit<AccessRefusal, 'id'>): Promise<void> {
  await db('access_refusals').insert({ id_tag: r.idTag, token_fk: r.tokenId, charge_point_id: r.chargePointId, connector_id: r.connectorId, location_id: r.locationId, status: r.status, reason: r.reason, at: r.at });
}

export async function listAccessRefusals(db: Db, f: { chargePointId?: string; idTag?: string; limit: number; offset: number }): Promise<AccessRefusal[]> {
  const q = db('access_refusals').orderBy([{ column: 'at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(f.limit).offset(f.offset);
  if (f.chargePointId) q.where({ charge_point_id: f.chargePointId });
  if (f.idTag) q.where({ id_tag: f.idTag });
  return (await q).map((r: Row) => ({ id: Number(r.id), idTag: r.id_tag, tokenId: r.token_fk, chargePointId: r.charge_point_id, connectorId: r.connector_id, locationId: r.location_id, status: r.status, reason: r.reason, at: new Date(r.at) }));
}

/** Sets a location's access mode; returns how many rows changed (0: no such location). */
export async function updateLocationAccessMode(db: Db, locationId: string, mode: AccessMode): Promise<number> {
  return db('locations').where({ id: locationId }).update({ access_mode: mode });
}

/** The restricted locations (optionally one) with their current OCPI publication. */
export async function listRestrictedLocations(db: Db, locationId?: string): Promise<Array<{ id: string; publish: boolean; publishAllowedTo: unknown[] | null }>> {
  const q = db('locations').where({ access_mode: 'restricted' }).orderBy('id').select('id', 'publish', 'publish_allowed_to');
  if (locationId) q.where({ id: locationId });
  return (await q).map((r: Row) => ({ id: r.id, publish: r.publish, publishAllowedTo: r.publish_allowed_to ?? null }));
}

/**
 * The tokens (uid, type) of the drivers whose groups have a rule for the location or one of its EVSEs:
 * whom a restricted location is shown to (OCPI 2.2.1 locations §8.4.20 PublishTokenType needs type with uid).
 */
export async function listAllowedTokensOfLocation(db: Db, locationId: string, limit: number): Promise<Array<{ uid: string; type: string }>> {
  return db('id_tokens as t')
    .join('driver_group_members as m', 'm.driver_fk', 't.driver_fk')
    .join('access_rules as r', 'r.group_fk', 'm.group_fk')
    .leftJoin('evses as e', 'e.uid', 'r.evse_uid')
    .where((w) => w.where('r.location_id', locationId).orWhere('e.location_id', locationId))
    .distinct('t.uid', 't.type')
    .orderBy([{ column: 't.uid' }, { column: 't.type' }])
    .limit(limit);
}

/** A location's access settings (mode and ad hoc starts), or undefined for an unknown location. */
export async function findLocationAccess(db: Db, locationId: string): Promise<{ locationId: string; accessMode: AccessMode; adhoc: { allowed: boolean; maxEnergyWh: number | null } } | undefined> {
  const r = await db('locations').where({ id: locationId }).first('id', 'access_mode', 'adhoc_allowed', 'adhoc_max_energy_wh');
  return r ? { locationId: r.id, accessMode: r.access_mode, adhoc: { allowed: r.adhoc_allowed, maxEnergyWh: r.adhoc_max_energy_wh } } : undefined;
}
