// Reads and writes for the OCPI sessions module: sessions with their party, token, connector and meter,
// register samples, the PATCH cursor and charging preferences.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Sample } from './meter-values.ts';
import { toSample, toSession } from './session.repo.ts';
import type { Session } from './session.types.ts';
import type { CdrTokenRecord, OcpiChargingPreferences } from './ocpi.types.ts';
import type { PeriodCursor } from './ocpi.mapper.ts';

type Row = Record<string, any>;

/** A session with everything its OCPI description and its pushes need. */
export interface SessionContext {
  session: Session;
  party: { countryCode: string; partyId: string; currency?: string | null };
  token: CdrTokenRecord;
  /** The eMSP the token belongs to (id_tokens.partner_fk); null for the operator's own tokens. */
  partnerFk: number | null;
  connectorId: string;
  meterId: string | null;
  /** Where the last pushed charging period ended; null before the first PATCH with periods. */
  periodsUntil: PeriodCursor | null;
  /** The connector's power: max_electric_power, else voltage × amperage (× 3 phases), in W. */
  maxPowerW: number | undefined;
  /** EVSE capabilities as stored; null = the defaults. */
  evseCapabilities: string[] | null;
}

const ENERGY_REGISTER = 'Energy.Active.Import.Register';

function maxPowerW(r: Row): number | undefined {
  if (r.connector_max_electric_power !== null && r.connector_max_electric_power !== undefined) return Number(r.connector_max_electric_power);
  if (r.connector_max_voltage === null || r.connector_max_voltage === undefined) return undefined;
  const phases = r.connector_power_type === 'AC_3_PHASE' ? 3 : 1;
  return Number(r.connector_max_voltage) * Number(r.connector_max_amperage) * phases;
}

function toContext(r: Row): SessionContext {
  return {
    session: toSession(r),
    party: { countryCode: r.party_country_code, partyId: r.party_party_id, currency: r.party_currency ?? null },
    token: { countryCode: r.token_country_code, partyId: r.token_party_id, uid: r.token_uid, type: r.token_type, contractId: r.token_contract_id },
    partnerFk: r.token_partner_fk === null ? null : Number(r.token_partner_fk),
    connectorId: r.connector_ocpi_id ?? String(r.connector_number),
    meterId: r.meter_serial_number ?? null,
    periodsUntil: r.ocpi_periods_until ? { at: new Date(r.ocpi_periods_until), wh: Number(r.ocpi_periods_until_wh) } : null,
    maxPowerW: maxPowerW(r),
    evseCapabilities: r.evse_capabilities ?? null,
  };
}

/** Sessions that can be shared over OCPI (a token and a location) with their references. */
function sharedSessions(db: Db): Knex.QueryBuilder {
  return db('sessions as s')
    .join('parties as p', 'p.id', 's.party_fk')
    .join('id_tokens as t', 't.id', 's.token_fk')
    .leftJoin('connectors as c', 'c.id', 's.connector_fk')
    .leftJoin('charge_points as cp', 'cp.id', 's.charge_point_id')
    .leftJoin('evses as e', 'e.uid', 's.evse_uid')
    .whereNotNull('s.location_id')
    .select(
      's.*', 'p.country_code as party_country_code', 'p.party_id as party_party_id', 'p.currency as party_currency',
      't.country_code as token_country_code', 't.party_id as token_party_id', 't.uid as token_uid', 't.type as token_type',
      't.contract_id as token_contract_id', 't.partner_fk as token_partner_fk',
      'c.ocpi_id as connector_ocpi_id', 'c.max_electric_power as connector_max_electric_power', 'c.max_voltage as connector_max_voltage',
      'c.max_amperage as connector_max_amperage', 'c.power_type as connector_power_type',
      'cp.meter_serial_number', 'e.capabilities as evse_capabilities',
    );
}

export interface PartnerSessionsQuery {
  partyFk: number;
  partnerFk: number;
  dateFrom?: Date;
  dateTo?: Date;
  offset: number;
  limit: number;
}

/** One page of the sessions of `partyFk` whose token belongs to `partnerFk`, oldest first, and how many match. */
export async function listPartnerSessions(db: Db, q: PartnerSessionsQuery): Promise<{ total: number; contexts: SessionContext[] }> {
  const base = sharedSessions(db).where('s.party_fk', q.partyFk).where('t.partner_fk', q.partnerFk);
  if (q.dateFrom) base.where('s.last_updated', '>=', q.dateFrom);
  if (q.dateTo) base.where('s.last_updated', '<', q.dateTo);
  const counted = await base.clone().clearSelect().count({ n: '*' }).first();
  const rows = await base.orderBy('s.id').offset(q.offset).limit(q.limit);
  return { total: Number(counted?.n ?? 0), contexts: rows.map(toContext) };
}

/** A session of `partyFk` by OCPI id (CiString), only when its token belongs to `partnerFk`. */
export async function findPartnerSession(db: Db, q: { partyFk: number; partnerFk: number; uid: string }): Promise<SessionContext | undefined> {
  const row = await sharedSessions(db).where('s.party_fk', q.partyFk).where('t.partner_fk', q.partnerFk).whereRaw('lower(s.uid) = lower(?)', [q.uid]).first();
  return row ? toContext(row) : undefined;
}

/** A shareable session by its internal id (pushes). */
export async function findSessionContext(db: Db, sessionId: number): Promise<SessionContext | undefined> {
  const row = await sharedSessions(db).where('s.id', sessionId).first();
  return row ? toContext(row) : undefined;
}

/** Energy register samples of the sessions, by session id. */
export async function listRegisterSamples(db: Db, sessionIds: readonly number[]): Promise<Map<number, Sample[]>> {
  const bySession = new Map<number, Sample[]>(sessionIds.map((id) => [id, []]));
  if (sessionIds.length === 0) return bySession;
  const rows = await db('meter_values').whereIn('session_fk', sessionIds).where({ measurand: ENERGY_REGISTER }).orderBy([{ column: 'timestamp' }, { column: 'id' }]);
  for (const r of rows) bySession.get(Number(r.session_fk))?.push(toSample(r));
  return bySession;
}

export async function updatePeriodsCursor(db: Db, sessionId: number, cursor: PeriodCursor): Promise<void> {
  await db('sessions').where({ id: sessionId }).update({ ocpi_periods_until: cursor.at, ocpi_periods_until_wh: cursor.wh });
}

export async function updateChargingPreferences(db: Db, sessionId: number, p: { preferences: OcpiChargingPreferences; response: string; at: Date }): Promise<void> {
  await db('sessions').where({ id: sessionId }).update({ charging_preferences: JSON.stringify(p.preferences), charging_preferences_response: p.response, charging_preferences_at: p.at });
}

/** The charging preferences of a session as stored, and whether an eMSP set them (it got an answer). */
export async function findChargingPreferences(db: Db, sessionId: number): Promise<{ preferences: OcpiChargingPreferences; isFromEmsp: boolean } | undefined> {
  const row = await db('sessions').where({ id: sessionId }).first('charging_preferences', 'charging_preferences_response');
  if (!row?.charging_preferences) return undefined;
  const preferences = typeof row.charging_preferences === 'string' ? JSON.parse(row.charging_preferences) : row.charging_preferences;
  return { preferences, isFromEmsp: row.charging_preferences_response !== null };
}

/** Preferences from the EV (OCPP 2.0.1 K15), not an eMSP's: no OCPI answer is recorded for them. */
export async function updateEvChargingPreferences(db: Db, sessionId: number, p: { preferences: OcpiChargingPreferences; at: Date }): Promise<void> {
  await db('sessions').where({ id: sessionId }).update({ charging_preferences: JSON.stringify(p.preferences), charging_preferences_at: p.at });
}
