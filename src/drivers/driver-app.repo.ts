import type { Db } from '../db/knex.ts';

type Row = Record<string, any>;

/** An EVSE as the driver app lists it: its location, its first connector and its charger's state. */
export interface FinderRow {
  evseUid: string;
  evseId: string | null;
  locationId: string;
  locationName: string | null;
  address: string;
  city: string;
  latitude: string;
  longitude: string;
  adhocAllowed: boolean;
  accessMode: string;
  ocppStatus: string | null;
  isOnline: boolean;
  standard: string | null;
  powerType: string;
  maxVoltage: number;
  maxAmperage: number;
  maxElectricPower: number | null;
  connectorFk: number | null;
  /** The stored general Connector.tariff_ids; null when never computed for this connector. */
  tariffIds: string[] | null;
}

const toFinder = (r: Row): FinderRow => ({
  evseUid: r.uid, evseId: r.evse_id, locationId: r.location_id, locationName: r.name, address: r.address, city: r.city, latitude: r.latitude, longitude: r.longitude,
  adhocAllowed: r.adhoc_allowed, accessMode: r.access_mode, ocppStatus: r.ocpp_status, isOnline: r.is_online === true, standard: r.standard,
  powerType: r.power_type ?? 'AC_3_PHASE', maxVoltage: r.max_voltage ?? 230, maxAmperage: r.max_amperage ?? 32, maxElectricPower: r.max_electric_power ?? null,
  connectorFk: r.connector_fk ?? null, tariffIds: Array.isArray(r.tariff_ids) ? r.tariff_ids : null,
});

/** Published EVSEs of public locations, each with its lowest-numbered connector (one row per EVSE). */
function finderQuery(db: Db) {
  return db('evses as e')
    .join('locations as l', 'l.id', 'e.location_id')
    .leftJoin('charge_points as cp', 'cp.id', 'e.charge_point_id')
    .leftJoin(db.raw(`lateral (select c.* from connectors c where c.evse_fk = e.id order by c.connector_number limit 1) c on true`))
    .where({ 'e.is_removed': false, 'l.publish': true, 'l.access_mode': 'public' })
    .select('e.uid', 'e.evse_id', 'e.location_id', 'l.name', 'l.address', 'l.city', 'l.latitude', 'l.longitude', 'l.adhoc_allowed', 'l.access_mode', 'cp.is_online',
      'c.ocpp_status', 'c.standard', 'c.power_type', 'c.max_voltage', 'c.max_amperage', 'c.max_electric_power', 'c.tariff_ids', 'c.id as connector_fk');
}

/** A page of EVSEs in location then uid order; `locationId` narrows to one location. */
export async function listFinderRows(db: Db, q: { limit: number; offset: number; locationId?: string }): Promise<FinderRow[]> {
  const query = finderQuery(db).orderBy([{ column: 'e.location_id' }, { column: 'e.uid' }]).limit(q.limit).offset(q.offset);
  if (q.locationId !== undefined) query.where('e.location_id', q.locationId);
  return (await query).map(toFinder);
}

/** One EVSE by its uid or its EVSE ID (the printed "NL*ABC*E1"), as QR codes carry either. */
export async function findFinderRow(db: Db, evseUidOrId: string): Promise<FinderRow | undefined> {
  const row = await finderQuery(db).where((w) => w.where('e.uid', evseUidOrId).orWhere('e.evse_id', evseUidOrId)).orderBy('e.uid').first();
  return row ? toFinder(row) : undefined;
}

/** The charging session of an ad hoc start, by its idTag (the driver's key), and the session's CDR once billed. */
export interface DriverSessionRow {
  adhocStatus: string;
  evseUid: string;
  chargePointId: string;
  sessionId: number | null;
  sessionStatus: string | null;
  energyWh: number;
  startAt: Date | null;
  stopAt: Date | null;
  lastMeterAt: Date | null;
  currency: string | null;
  cdrId: string | null;
  cdrTotalInclVat: number | null;
  cdrCurrency: string | null;
  cdrKwh: number | null;
}

export async function findDriverSession(db: Db, idTag: string): Promise<DriverSessionRow | undefined> {
  const row = await db('adhoc_sessions as a')
    .leftJoin(db.raw('lateral (select s1.* from sessions s1 where s1.token_fk = a.token_fk order by s1.id desc limit 1) s on true'))
    .leftJoin('cdrs as d', (j) => j.on('d.session_fk', 's.id').andOn('d.credit', db.raw('false')))
    .where('a.id_tag', idTag)
    .first('a.status as adhoc_status', 'a.evse_uid', 'a.charge_point_id', 's.id as session_id', 's.status as session_status', 's.energy_wh', 's.start_at', 's.stop_at', 's.last_meter_at', 's.currency',
      'd.cdr_id', 'd.total_cost_incl_vat', 'd.currency as cdr_currency', 'd.kwh');
  if (!row) return undefined;
  return {
    adhocStatus: row.adhoc_status, evseUid: row.evse_uid, chargePointId: row.charge_point_id, sessionId: row.session_id ?? null, sessionStatus: row.session_status ?? null,
    energyWh: Number(row.energy_wh ?? 0), startAt: row.start_at ?? null, stopAt: row.stop_at ?? null, lastMeterAt: row.last_meter_at ?? null, currency: row.currency ?? null,
    cdrId: row.cdr_id ?? null, cdrTotalInclVat: row.total_cost_incl_vat === null || row.total_cost_incl_vat === undefined ? null : Number(row.total_cost_incl_vat),
    cdrCurrency: row.cdr_currency ?? null, cdrKwh: row.kwh === null || row.kwh === undefined ? null : Number(row.kwh),
  };
}
