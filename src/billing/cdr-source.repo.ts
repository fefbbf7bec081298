// Read side of CDR generation: everything a CDR is built from, read from the tables of the sessions,
// locations, chargers and tokens domains (read-only, one query per function), plus the session cost
// columns billing owns.
import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import { signingOf, type Sample } from '../sessions/meter-values.ts';
import type { CdrStatus } from '../sessions/session.types.ts';
import type { Tariff } from '../tariffs/tariff.types.ts';
import type { CdrLocationSource } from './cdr-builder.ts';
import type { StatusChange } from './meter-series.ts';

type Row = Record<string, any>;

export async function findPartyRef(db: Db, partyFk: number): Promise<{ countryCode: string; partyId: string; currency: string | null } | undefined> {
  const row = await db('parties').where({ id: partyFk }).first('country_code', 'party_id', 'currency');
  return row ? { countryCode: row.country_code, partyId: row.party_id, currency: row.currency ?? null } : undefined;
}

/** The tariff snapshot taken at the session start (OCPI Tariff), if any. */
export async function findTariffSnapshot(db: Db, sessionId: number): Promise<Tariff | undefined> {
  const row = await db('sessions').where({ id: sessionId }).first('tariff_snapshot');
  return row?.tariff_snapshot ?? undefined;
}

export async function findLocationSource(db: Db, locationId: string): Promise<CdrLocationSource | undefined> {
  const r = await db('locations').where({ id: locationId }).first();
  if (!r) return undefined;
  return { id: r.id, name: r.name, address: r.address, city: r.city, postalCode: r.postal_code, state: r.state, country: r.country, latitude: r.latitude, longitude: r.longitude, timeZone: r.time_zone };
}

export async function findEvseSource(db: Db, evseUid: string): Promise<{ uid: string; evseId: string | null } | undefined> {
  const r = await db('evses').where({ uid: evseUid }).first('uid', 'evse_id');
  return r ? { uid: r.uid, evseId: r.evse_id } : undefined;
}

export async function findConnectorSource(db: Db, connectorFk: number): Promise<{ id: string; standard: string; format: string; powerType: string } | undefined> {
  const r = await db('connectors').where({ id: connectorFk }).first('ocpi_id', 'standard', 'format', 'power_type');
  return r ? { id: r.ocpi_id, standard: r.standard, format: r.format, powerType: r.power_type } : undefined;
}

export interface TokenSource {
  countryCode: string;
  partyId: string;
  uid: string;
  type: string;
  contractId: string;
  partnerFk: number | null;
}

export async function findTokenSource(db: Db, tokenFk: number): Promise<TokenSource | undefined> {
  const r = await db('id_tokens').where({ id: tokenFk }).first('country_code', 'party_id', 'uid', 'type', 'contract_id', 'partner_fk');
  return r ? { countryCode: r.country_code, partyId: r.party_id, uid: r.uid, type: r.type, contractId: r.contract_id, partnerFk: r.partner_fk } : undefined;
}

/** OCPP BootNotification meterSerialNumber of the charger, used as the CDR meter_id. */
export async function findMeterId(db: Db, chargePointId: string): Promise<string | undefined> {
  const r = await db('charge_points').where({ id: chargePointId }).first('meter_serial_number');
  return r?.meter_serial_number ?? undefined;
}

const toSample = (r: Row): Sample => ({
  timestamp: new Date(r.timestamp),
  measurand: r.measurand,
  phase: r.phase,
  unit: r.unit,
  location: r.location ?? 'Outlet',
  context: r.context ?? 'Sample.Periodic',
  format: r.format ?? 'Raw',
  value: r.value,
  numeric: r.numeric_value === null ? null : String(r.numeric_value),
  ...signingOf({ encodingMethod: r.encoding_method, signingMethod: r.signing_method, publicKey: r.public_key }),
});

export async function listSessionSamples(db: Db, sessionFk: number): Promise<Sample[]> {
  const rows = await db('meter_values').where({ session_fk: sessionFk }).orderBy([{ column: 'timestamp' }, { column: 'id' }]);
  return rows.map(toSample);
}

/** Status changes of a connector up to `until`, starting with the last one before `from`. */
export async function listConnectorStatuses(db: Db, o: { chargePointId: string; connectorNumber: number; from: Date; until: Date }): Promise<StatusChange[]> {
  const base = () => db('status_history').where({ charge_point_id: o.chargePointId, connector_number: o.connectorNumber });
  const before = await base().where('timestamp', '<=', o.from).orderBy([{ column: 'timestamp', order: 'desc' }, { column: 'id', order: 'desc' }]).first('timestamp', 'status');
  const during = await base().where('timestamp', '>', o.from).where('timestamp', '<=', o.until).orderBy([{ column: 'timestamp' }, { column: 'id' }]).select('timestamp', 'status');
  return [...(before ? [before] : []), ...during].map((r: Row) => ({ at: new Date(r.timestamp), status: r.status }));
}

/** The session's cost as priced in its CDR (sessions.total_cost_*, currency). */
export async function updateSessionCost(db: Db, sessionId: number, c: { currency: string; exclVat: string; inclVat: string }): Promise<void> {
  await db('sessions').where({ id: sessionId }).update({ currency: c.currency, total_cost_excl_vat: c.exclVat, total_cost_incl_vat: c.inclVat, last_updated: dbNow(db) });
}

export interface StaleSession {
  id: number;
  chargePointId: string;
  meterStartWh: number;
  energyWh: number;
  /** The last known reading time: the last register sample, else the start. */
  lastKnownAt: Date;
}

/**
 * ACTIVE sessions whose last sign of life (last register reading, the start, and the charger's last
 * message of any kind) is older than `cutoff`.
 */
export async function listStaleSessions(db: Db, cutoff: Date, limit: number): Promise<StaleSession[]> {
  const rows = await db('sessions as s')
    .leftJoin('charge_points as cp', 'cp.id', 's.charge_point_id')
    .where('s.status', 'ACTIVE')
    .whereNull('s.stop_at')
    .whereRaw('greatest(s.start_at, s.last_meter_at, cp.last_seen_at) < ?', [cutoff])
    .orderBy('s.id')
    .limit(limit)
    .select('s.id', 's.charge_point_id', 's.meter_start_wh', 's.energy_wh', 's.start_at', 's.last_meter_at');
  return rows.map((r: Row) => ({
    id: r.id,
    chargePointId: r.charge_point_id,
    meterStartWh: Number(r.meter_start_wh),
    energyWh: Number(r.energy_wh),
    lastKnownAt: new Date(Math.max(new Date(r.start_at).getTime(), r.last_meter_at ? new Date(r.last_meter_at).getTime() : 0)),
  }));
}

/** Where a connector is now: its EVSE's location (a charger attached after a session started on it). */
export async function findSiteOfConnector(db: Db, connectorFk: number): Promise<{ locationId: string; evseUid: string } | undefined> {
  const r = await db('connectors as c').join('evses as e', 'e.id', 'c.evse_fk').where('c.id', connectorFk).first('e.location_id', 'e.uid');
  return r ? { locationId: r.location_id, evseUid: r.uid } : undefined;
}

export async function updateSessionSite(db: Db, sessionId: number, site: { locationId: string; evseUid: string }): Promise<void> {
  await db('sessions').where({ id: sessionId }).update({ location_id: site.locationId, evse_uid: site.evseUid, last_updated: dbNow(db) });
}

/** Whether the session got its CDR and, if not, why (sessions.cdr_status, cdr_error). */
export async function updateSessionBilling(db: Db, sessionId: number, b: { status: CdrStatus; error: string | null }): Promise<void> {
  await db('sessions').where({ id: sessionId }).update({ cdr_status: b.status, cdr_error: b.error });
}
