import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import type { ConnectorRating } from './ocpp16.mapper.ts';
import type { PartyRef } from '../partners/partner.types.ts';
import type { OcpiChargingProfile, ProfileChangeScope } from './chargingprofile.types.ts';

type Row = Record<string, any>;

/** A session of one of our parties as the charging profiles module needs it. */
export interface ProfileSession {
  id: number;
  uid: string;
  chargePointId: string;
  connectorNumber: number;
  stopAt: Date | null;
  /** The eMSP owning the session's token (null: an operator token). */
  partnerFk: number | null;
  isChargerConnected: boolean;
  rating: ConnectorRating;
}

const SESSION_COLUMNS = [
  'sessions.id', 'sessions.uid', 'sessions.charge_point_id', 'sessions.connector_number', 'sessions.stop_at', 'id_tokens.partner_fk',
  'charge_points.is_connected', 'connectors.power_type', 'connectors.max_voltage', 'connectors.max_amperage', 'connectors.max_electric_power',
];

function sessionsWithCharger(db: Db) {
  return db('sessions')
    .leftJoin('id_tokens', 'id_tokens.id', 'sessions.token_fk')
    .leftJoin('connectors', 'connectors.id', 'sessions.connector_fk')
    .join('charge_points', 'charge_points.id', 'sessions.charge_point_id');
}

function toProfileSession(row: Row): ProfileSession {
  return {
    id: row.id,
    uid: row.uid,
    chargePointId: row.charge_point_id,
    connectorNumber: row.connector_number,
    stopAt: row.stop_at,
    partnerFk: row.partner_fk ?? null,
    isChargerConnected: row.is_connected === true,
    // The foundation's connector defaults (AC 3 phase, 230 V, 32 A) when the connector row is gone.
    rating: { powerType: row.power_type ?? 'AC_3_PHASE', maxVoltage: row.max_voltage ?? 230, maxAmperage: row.max_amperage ?? 32, maxElectricPower: row.max_electric_power ?? null },
  };
}

export async function findSessionForProfile(db: Db, partyFk: number, uid: string): Promise<ProfileSession | undefined> {
  const row: Row | undefined = await sessionsWithCharger(db).where({ 'sessions.uid': uid, 'sessions.party_fk': partyFk }).first(...SESSION_COLUMNS);
  return row ? toProfileSession(row) : undefined;
}

/** Records that `partnerFk` has had a profile accepted on the session (idempotent). */
export async function insertProfileSender(db: Db, sessionFk: number, partnerFk: number): Promise<void> {
  await db('ocpi_charging_profile_senders').insert({ session_fk: sessionFk, partner_fk: partnerFk, created_at: dbNow(db) }).onConflict(['session_fk', 'partner_fk']).ignore();
}

/** A running session with a Sender to keep informed of its ActiveChargingProfile. */
export interface SenderSession extends ProfileSession {
  senderFk: number;
  /** Our party that runs the session (OCPI-from-*). */
  ownParty: PartyRef;
  /** The party of the session's token (OCPI-to-*); unknown once the token row is gone. */
  tokenParty?: PartyRef;
}

/** Running sessions in `scope`, one entry per Sender that has had a profile accepted on them. */
export async function listSenderSessions(db: Db, scope: ProfileChangeScope): Promise<SenderSession[]> {
  const q = sessionsWithCharger(db)
    .join('ocpi_charging_profile_senders as s', 's.session_fk', 'sessions.id')
    .join('parties', 'parties.id', 'sessions.party_fk')
    .where({ 'sessions.charge_point_id': scope.chargePointId })
    .whereNull('sessions.stop_at')
    .orderBy('sessions.id')
    .select(...SESSION_COLUMNS, 's.partner_fk as sender_fk', 'parties.country_code as own_cc', 'parties.party_id as own_pid', 'id_tokens.country_code as token_cc', 'id_tokens.party_id as token_pid');
  if (scope.connectorNumber !== undefined) q.where({ 'sessions.connector_number': scope.connectorNumber });
  if (scope.transactionId !== undefined) q.where({ 'sessions.id': scope.transactionId });
  const rows: Row[] = await q;
  return rows.map((row) => ({
    ...toProfileSession(row),
    senderFk: row.sender_fk,
    ownParty: { countryCode: row.own_cc, partyId: row.own_pid },
    tokenParty: row.token_cc ? { countryCode: row.token_cc, partyId: row.token_pid } : undefined,
  }));
}

export interface StoredProfile {
  /** The OCPP chargingProfileId. */
  id: number;
  profile: OcpiChargingProfile;
}

/** The profile an eMSP set on a session; a new PUT replaces it and keeps its OCPP chargingProfileId. */
export async function upsertSessionProfile(db: Db, sessionFk: number, partnerFk: number, profile: OcpiChargingProfile): Promise<StoredProfile> {
  const [row] = await db('ocpi_charging_profiles')
    .insert({ session_fk: sessionFk, partner_fk: partnerFk, profile: JSON.stringify(profile), created_at: dbNow(db), updated_at: dbNow(db) })
    .onConflict('session_fk')
    .merge({ partner_fk: partnerFk, profile: JSON.stringify(profile), updated_at: dbNow(db) })
    .returning(['id', 'profile']);
  return { id: row.id, profile: row.profile };
}

export async function findSessionProfile(db: Db, sessionFk: number): Promise<StoredProfile | undefined> {
  const row = await db('ocpi_charging_profiles').where({ session_fk: sessionFk }).first('id', 'profile');
  return row ? { id: row.id, profile: row.profile } : undefined;
}

export async function deleteSessionProfile(db: Db, sessionFk: number): Promise<void> {
  await db('ocpi_charging_profiles').where({ session_fk: sessionFk }).delete();
}
