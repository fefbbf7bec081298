import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import { translatePg } from '../db/pg-errors.ts';
import { NotFound } from '../shared/errors.ts';
import type { Evse, Location, LocationInput } from './location.types.ts';

type Row = Record<string, any>;

const toLocation = (r: Row): Location => ({
  id: r.id,
  partyFk: r.party_fk,
  name: r.name,
  address: r.address,
  city: r.city,
  postalCode: r.postal_code,
  state: r.state,
  country: r.country,
  latitude: r.latitude,
  longitude: r.longitude,
  timeZone: r.time_zone,
  parkingType: r.parking_type,
  publish: r.publish,
  publishAllowedTo: r.publish_allowed_to ?? null,
  gridLimitA: r.grid_limit_a,
  lastUpdated: r.last_updated,
});

const toEvse = (r: Row): Evse => ({
  id: r.id,
  locationId: r.location_id,
  uid: r.uid,
  evseId: r.evse_id,
  chargePointId: r.charge_point_id,
  status: r.status,
  isRemoved: r.is_removed,
  lastUpdated: r.last_updated,
});

export async function insertLocation(db: Db, l: LocationInput): Promise<Location> {
  const [row] = await translatePg(`location ${l.id}`, () =>
    db('locations')
      .insert({
        id: l.id,
        party_fk: l.partyFk,
        name: l.name ?? null,
        address: l.address,
        city: l.city,
        postal_code: l.postalCode ?? null,
        state: l.state ?? null,
        country: l.country,
        latitude: l.latitude,
        longitude: l.longitude,
        time_zone: l.timeZone,
        parking_type: l.parkingType ?? null,
        publish: l.publish ?? true,
        publish_allowed_to: l.publishAllowedTo ? JSON.stringify(l.publishAllowedTo) : null,
        grid_limit_a: l.gridLimitA ?? null,
        created_at: dbNow(db),
        last_updated: dbNow(db),
      })
      .returning('*'),
  );
  return toLocation(row);
}

export async function findLocation(db: Db, id: string): Promise<Location | undefined> {
  const row = await db('locations').where({ id }).first();
  return row ? toLocation(row) : undefined;
}

export async function getLocation(db: Db, id: string): Promise<Location> {
  const loc = await findLocation(db, id);
  if (!loc) throw new NotFound(`location ${id} not found`);
  return loc;
}

/** Which of `ids` are locations. */
export async function listLocationIdsIn(db: Db, ids: readonly string[]): Promise<Set<string>> {
  return new Set((await db('locations').whereIn('id', [...ids]).select('id')).map((r) => r.id as string));
}

/** Sets a location's publication (OCPI 2.2.1 locations §8.3.1) and bumps its last_updated. */
export async function updateLocationPublication(db: Db, id: string, p: { publish: boolean; publishAllowedTo: unknown[] | null }): Promise<void> {
  const count = await db('locations').where({ id }).update({ publish: p.publish, publish_allowed_to: p.publishAllowedTo ? JSON.stringify(p.publishAllowedTo) : null, last_updated: dbNow(db) });
  if (count === 0) throw new NotFound(`location ${id} not found`);
}

/** The location, locked for an update in the caller's transaction. */
export async function getLocationForUpdate(db: Db, id: string): Promise<Location> {
  const row = await db('locations').where({ id }).forUpdate().first();
  if (!row) throw new NotFound(`location ${id} not found`);
  return toLocation(row);
}

export async function listLocations(db: Db, opts: { limit: number; offset: number }): Promise<Location[]> {
  return (await db('locations').orderBy('id').limit(opts.limit).offset(opts.offset)).map(toLocation);
}

export async function findEvse(db: Db, id: number): Promise<Evse | undefined> {
  const row = await db('evses').where({ id }).first();
  return row ? toEvse(row) : undefined;
}

export async function findEvseByUid(db: Db, uid: string): Promise<Evse | undefined> {
  const row = await db('evses').where({ uid }).first();
  return row ? toEvse(row) : undefined;
}

/**
 * Inserts EVSE `uid` at the location unless an EVSE with that uid exists (any location); returns the one
 * stored, locked until the caller's transaction ends (two chargers claiming it at once go one after the other).
 */
export async function insertEvseIfAbsent(db: Db, e: { locationId: string; uid: string; chargePointId: string }): Promise<Evse> {
  await db('evses').insert({ location_id: e.locationId, uid: e.uid, charge_point_id: e.chargePointId, last_updated: dbNow(db) }).onConflict('uid').ignore();
  return toEvse(await db('evses').where({ uid: e.uid }).forUpdate().first());
}

/** Gives the EVSE to the charge point, live again if it was REMOVED. */
export async function updateEvseChargePoint(db: Db, evseFk: number, chargePointId: string): Promise<void> {
  await db('evses').where({ id: evseFk }).update({ charge_point_id: chargePointId, is_removed: false, last_updated: dbNow(db) });
}

/** Marks the EVSE REMOVED (OCPI 2.2.1 locations §8.1: EVSEs are never deleted). */
export async function updateEvseRemoved(db: Db, evseFk: number): Promise<void> {
  await db('evses').where({ id: evseFk }).update({ is_removed: true, last_updated: dbNow(db) });
}

/** The charge point another than `chargePointId` whose connectors the EVSE holds, if any. */
export async function findOtherChargePointOnEvse(db: Db, evseFk: number, chargePointId: string): Promise<string | undefined> {
  const row = await db('connectors').where({ evse_fk: evseFk }).whereNotNull('charge_point_id').whereNot({ charge_point_id: chargePointId }).first('charge_point_id');
  return row?.charge_point_id;
}

export async function listEvsesOfLocation(db: Db, locationId: string): Promise<Evse[]> {
  return (await db('evses').where({ location_id: locationId }).orderBy('id')).map(toEvse);
}
