// Reads for the OCPI locations module: locations with their party, EVSEs and connectors, as records.
import type { Knex } from 'knex';
import { toArrayLiteral } from '../db/array-literal.ts';
import type { Db } from '../db/knex.ts';
import type { PartyRef } from '../partners/partner.types.ts';
import { concernsParty } from './location-audience.repo.ts';
import type { ConnectorRecord, EvseRecord, LocationRecord, LocationTree, OcpiPublishToken } from './ocpi.types.ts';
import { readTogether } from '../db/concurrent.ts';

type Row = Record<string, any>;

// OCPI 2.2.1 locations §8.2.1.1: a location counts as updated when one of its EVSEs or connectors is,
// so date_from/date_to filter on the newest of the three.
const EFFECTIVE_LAST_UPDATED = `greatest(l.last_updated,
  (select max(e.last_updated) from evses e where e.location_id = l.id),
  (select max(c.last_updated) from connectors c join evses ce on ce.id = c.evse_fk where ce.location_id = l.id))`;

const toLocationRecord = (r: Row): LocationRecord => ({
  id: r.id,
  countryCode: r.party_country_code,
  partyId: r.party_party_id,
  publish: r.publish,
  publishAllowedTo: r.publish_allowed_to,
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
  facilities: r.facilities,
  openingTimes: r.opening_times,
  chargingWhenClosed: r.charging_when_closed,
  operator: r.operator,
  suboperator: r.suboperator,
  owner: r.owner,
  energyMix: r.energy_mix,
  directions: r.directions,
  images: r.images,
  relatedLocations: r.related_locations,
  lastUpdated: new Date(r.last_updated),
});

const toEvseRecord = (r: Row): EvseRecord => ({
  id: Number(r.id),
  locationId: r.location_id,
  uid: r.uid,
  evseId: r.evse_id,
  status: r.status,
  isRemoved: r.is_removed,
  pendingLocationPush: r.pending_location_push,
  capabilities: r.capabilities,
  floorLevel: r.floor_level,
  latitude: r.latitude,
  longitude: r.longitude,
  physicalReference: r.physical_reference,
  directions: r.directions,
  parkingRestrictions: r.parking_restrictions,
  images: r.images,
  statusSchedule: r.status_schedule,
  lastUpdated: new Date(r.last_updated),
});

const toConnectorRecord = (r: Row): ConnectorRecord => ({
  id: Number(r.id),
  evseFk: Number(r.evse_fk),
  ocpiId: r.ocpi_id,
  standard: r.standard,
  format: r.format,
  powerType: r.power_type,
  maxVoltage: r.max_voltage,
  maxAmperage: r.max_amperage,
  maxElectricPower: r.max_electric_power,
  tariffIds: r.tariff_ids,
  termsAndConditions: r.terms_and_conditions,
  lastUpdated: new Date(r.last_updated),
});

/**
 * Locations of one party with the party's codes and the effective last_updated, as eMSP party `viewer`
 * may get them: the published ones and the unpublished ones that concern it (location-audience.repo.ts).
 */
function locationsOfParty(db: Db, partyFk: number, viewer: PartyRef): Knex.QueryBuilder {
  return db('locations as l')
    .join('parties as p', 'p.id', 'l.party_fk')
    .where('l.party_fk', partyFk)
    .andWhere((w) => w.where('l.publish', true).orWhere(concernsParty(db, viewer)))
    .select('l.*', 'p.country_code as party_country_code', 'p.party_id as party_party_id');
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

// The embedded database spends most of a read on decoding each column of each row it returns: rows of these
// tables come out as one JSON text per statement (row_to_json/json_agg), the columns keeping their names and
// JSON values (timestamps as ISO text, read back by the record mappers).
async function jsonRows(db: Db, sql: string, bindings: readonly unknown[]): Promise<Row[]> {
  const { rows } = await db.raw(`select json_agg(x)::text as j from (${sql}) x`, bindings as Knex.RawBinding[]);
  return rows[0]?.j ? JSON.parse(rows[0].j) : [];
}

async function withEvses(db: Db, rows: Row[]): Promise<LocationTree[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  // Both by the locations' ids, so that they go out together (two connections on PostgreSQL, unless in a transaction).
  const [evseRows, connectorRows] = await readTogether<[Row[], Row[]]>(db, [
    () => jsonRows(db, 'select e.* from evses e where e.location_id = any(?) order by e.id', [ids]),
    () => jsonRows(db, 'select c.* from connectors c join evses e on e.id = c.evse_fk where e.location_id = any(?) order by c.id', [ids]),
  ]);
  const connectorsOf = groupBy(connectorRows.map(toConnectorRecord), (c) => c.evseFk);
  const evsesOf = groupBy(evseRows.map(toEvseRecord), (e) => e.locationId);
  return rows.map((r) => ({
    location: toLocationRecord(r),
    evses: (evsesOf.get(r.id) ?? []).map((evse) => ({ evse, connectors: connectorsOf.get(evse.id) ?? [] })),
  }));
}

export interface LocationPageQuery {
  /** The own party addressed. */
  partyFk: number;
  /** The eMSP party asking (see locationsOfParty): what it may see, and its own Connector.tariff_ids. */
  viewer: PartyRef;
  dateFrom?: Date;
  dateTo?: Date;
  offset: number;
  limit: number;
  /** The id of the location before `offset` (a next link's key): the page is read from it on. */
  afterId?: string;
  /** The counts of a previous page of the same list, when the caller knows they still hold: not counted again. */
  known?: LocationCounts;
}

/** How many locations match: published ones, and unpublished ones concerning the viewer. */
export interface LocationCounts {
  published: number;
  concerning: number;
}

/**
 * The party's locations `viewer` may get, in two branches that each follow the index on (party_fk, publish,
 * created_at, id): the published ones (an index-only scan, however many) and the unpublished ones that concern
 * the viewer (few). The date filters cost two lookups per location: applied only when given.
 */
function visibleBranches(db: Db, q: LocationPageQuery, columns: string[]): [Knex.QueryBuilder, Knex.QueryBuilder] {
  const branch = (publish: boolean) => {
    const qb = db('locations as l').where({ 'l.party_fk': q.partyFk, 'l.publish': publish }).select(columns);
    if (q.dateFrom) qb.whereRaw(`${EFFECTIVE_LAST_UPDATED} >= ?`, [q.dateFrom]);
    if (q.dateTo) qb.whereRaw(`${EFFECTIVE_LAST_UPDATED} < ?`, [q.dateTo]);
    return qb;
  };
  return [branch(true), branch(false).andWhere(concernsParty(db, q.viewer))];
}

/**
 * One page of the locations of a party `viewer` may get, oldest first (transport §4.1.3.3), and how many match:
 * one statement (the count, the page's keys and its rows), then the EVSEs and connectors.
 */
export async function listLocationTreesFor(db: Db, q: LocationPageQuery): Promise<{ counts: LocationCounts; trees: LocationTree[] }> {
  const keyset = q.afterId !== undefined ? await readPage(db, q, q.afterId) : undefined;
  // Keyset: from the location before the page on, instead of skipping `offset` rows. When that location is gone
  // (an empty keyset page, and no such row), the page is read by its offset.
  const page = keyset && (keyset.rows.length > 0 || (await locationExists(db, q.partyFk, q.afterId!))) ? keyset : await readPage(db, q, undefined);
  return { counts: page.counts, trees: await withEvses(db, page.rows) };
}

async function locationExists(db: Db, partyFk: number, id: string): Promise<boolean> {
  return (await db('locations').where({ id, party_fk: partyFk }).first('id')) !== undefined;
}

const toCounts = (r: Row): LocationCounts => ({ published: Number(r.published_count), concerning: Number(r.concerning_count) });

async function readPage(db: Db, q: LocationPageQuery, afterId: string | undefined): Promise<{ counts: LocationCounts; rows: Row[] }> {
  const [published, concerning] = visibleBranches(db, q, ['l.id', 'l.created_at']);
  // The counts are most of the statement's work (every matching location): left out when the caller knows them.
  const counts = q.known
    ? [db.raw('?::int8 as published_count', [q.known.published]), db.raw('?::int8 as concerning_count', [q.known.concerning])]
    : [db.raw('(select count(*) from (?) a) as published_count', [published.clone()]), db.raw('(select count(*) from (?) b) as concerning_count', [concerning.clone()])];
  // Each branch ordered and cut on its own: an index-only scan that stops early (PostgreSQL sorts a whole
  // UNION ALL otherwise). (The key's created_at is compared in SQL: a JS Date would drop the microseconds.)
  const cut = (branch: Knex.QueryBuilder) => {
    if (afterId !== undefined) branch.whereRaw('(l.created_at, l.id) > (select created_at, id from locations where id = ? and party_fk = ?)', [afterId, q.partyFk]);
    return branch.orderBy([{ column: 'l.created_at' }, { column: 'l.id' }]).limit(afterId !== undefined ? q.limit : q.offset + q.limit);
  };
  // None concerning the viewer (known): the unpublished branch, costly to plan, is left out.
  const candidates = q.known?.concerning === 0 ? db.raw('(?) as v', [cut(published)]) : db.raw('((?) union all (?)) as v', [cut(published), cut(concerning)]);
  const keys = db
    .from(candidates)
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .offset(afterId !== undefined ? 0 : q.offset)
    .limit(q.limit)
    .select('id', 'created_at');
  // The page's rows in full, in page order (one deleted meanwhile is left out), each with the counts.
  const found: Row[] = await db
    .with('page', keys)
    .from('page')
    .join('locations as l', 'l.id', 'page.id')
    .join('parties as p', 'p.id', 'l.party_fk')
    .orderBy([{ column: 'page.created_at' }, { column: 'page.id' }])
    .select(db.raw('row_to_json(l)::text as location'), 'p.country_code as party_country_code', 'p.party_id as party_party_id', ...counts);
  const rows = found.map(({ location, party_country_code, party_party_id }) => ({ ...JSON.parse(location), party_country_code, party_party_id }));
  if (found.length > 0) return { counts: toCounts(found[0]!), rows };
  if (q.known) return { counts: q.known, rows };
  const { rows: counted } = await db.raw('select ?, ?', counts);
  return { counts: toCounts(counted[0]), rows };
}

/** A location of a party with its EVSEs and connectors, when party `viewer` may get it. */
export async function findLocationTreeFor(db: Db, q: { partyFk: number; id: string; viewer: PartyRef }): Promise<LocationTree | undefined> {
  const row = await locationsOfParty(db, q.partyFk, q.viewer).whereRaw('lower(l.id) = lower(?)', [q.id]).first();
  return row ? (await withEvses(db, [row]))[0] : undefined;
}

/** A location by id whatever its party (pushes: the owning party comes with it). */
export async function findLocationTreeById(db: Db, id: string): Promise<LocationTree | undefined> {
  const row = await db('locations as l')
    .join('parties as p', 'p.id', 'l.party_fk')
    .where('l.id', id)
    .first('l.*', 'p.country_code as party_country_code', 'p.party_id as party_party_id');
  return row ? (await withEvses(db, [row]))[0] : undefined;
}

/** The location an EVSE belongs to. */
export async function findLocationIdOfEvse(db: Db, evseFk: number): Promise<string | undefined> {
  const row = await db('evses').where({ id: evseFk }).first('location_id');
  return row?.location_id;
}

/** What an EVSE status PATCH needs: the EVSE's status and last_updated, its location's party and publication. */
export async function findEvsePushInfo(db: Db, evseFk: number): Promise<EvsePushInfo | undefined> {
  return (await listEvsePushInfos(db, [evseFk]))[0];
}

/** An EVSE as its pushes need it: the record, its connectors and its location. */
export interface EvsePushInfo {
  evse: EvseRecord;
  connectors: ConnectorRecord[];
  location: EvseLocation;
}

/** findEvsePushInfo of many EVSEs (those that exist, by id) in two statements. */
export async function listEvsePushInfos(db: Db, evseFks: readonly number[]): Promise<EvsePushInfo[]> {
  if (evseFks.length === 0) return [];
  const ids = toArrayLiteral([...new Set(evseFks)]);
  const rows = await db('evses as e')
    .join('locations as l', 'l.id', 'e.location_id')
    .join('parties as p', 'p.id', 'l.party_fk')
    .whereRaw('e.id = any(?::int[])', [ids])
    .orderBy('e.id')
    .select('e.*', 'l.publish as location_publish', 'l.publish_allowed_to as location_publish_allowed_to', 'p.country_code as party_country_code', 'p.party_id as party_party_id');
  if (rows.length === 0) return [];
  const connectorsOf = groupBy((await db('connectors').whereRaw('evse_fk = any(?::int[])', [ids]).orderBy('id')).map(toConnectorRecord), (c) => c.evseFk);
  return rows.map((row: Row) => ({
    evse: toEvseRecord(row),
    connectors: connectorsOf.get(row.id) ?? [],
    location: { id: row.location_id, publish: row.location_publish, publishAllowedTo: row.location_publish_allowed_to ?? [], countryCode: row.party_country_code, partyId: row.party_party_id },
  }));
}

/** The location of an EVSE as its pushes need it. */
export interface EvseLocation {
  id: string;
  publish: boolean;
  publishAllowedTo: OcpiPublishToken[];
  countryCode: string;
  partyId: string;
}

/** The location's EVSEs have all been sent (a Location PUT carries them all). */
export async function clearPendingLocationPush(db: Db, locationId: string): Promise<void> {
  await db('evses').where({ location_id: locationId, pending_location_push: true }).update({ pending_location_push: false });
}
