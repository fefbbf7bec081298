import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import type { LocationEvse } from './ocpp16.mapper.ts';
import { evseConnectorOneOf, sharedConnectorRange } from '../chargers/evse-address.ts';

type Row = Record<string, any>;

/** A location of one of our parties, with its EVSEs and their connectors (OCPI shape, OCPP numbers). */
export async function findLocationEvses(db: Db, partyFk: number, locationId: string): Promise<LocationEvse[] | undefined> {
  const location = await db('locations').where({ id: locationId, party_fk: partyFk }).first('id');
  if (!location) return undefined;
  const evses = await db('evses').where({ location_id: locationId }).orderBy('id').select('id', 'uid', 'charge_point_id', 'is_removed');
  const connectors = evses.length === 0 ? [] : await db('connectors').whereIn('evse_fk', evses.map((e: Row) => e.id)).orderBy('id').select('evse_fk', 'ocpi_id', 'charge_point_id', 'connector_number');
  return evses.map((e: Row) => ({
    uid: e.uid,
    chargePointId: e.charge_point_id,
    isRemoved: e.is_removed,
    connectors: connectors.filter((c: Row) => c.evse_fk === e.id).map((c: Row) => ({ ocpiId: c.ocpi_id, chargePointId: c.charge_point_id, connectorNumber: c.connector_number })),
  }));
}

/** Whether the charger holds an OCPP connection to some node of the cluster. */
export async function isChargerConnected(db: Db, chargePointId: string): Promise<boolean> {
  const row = await db('charge_points').where({ id: chargePointId }).first('is_connected');
  return row?.is_connected === true;
}


export interface RemoteStart {
  id: number;
  partnerFk: number;
  tokenFk: number | null;
  chargePointId: string;
  connectorNumber: number | null;
  idTag: string;
  authorizationReference: string | null;
}

const toRemoteStart = (r: Row): RemoteStart => ({
  id: r.id,
  partnerFk: r.partner_fk,
  tokenFk: r.token_fk,
  chargePointId: r.charge_point_id,
  connectorNumber: r.connector_number,
  idTag: r.id_tag,
  authorizationReference: r.authorization_reference,
});

export async function insertRemoteStart(db: Db, s: Omit<RemoteStart, 'id'> & { createdAt: Date; expiresAt: Date }): Promise<RemoteStart> {
  const [row] = await db('ocpi_remote_starts')
    .insert({
      partner_fk: s.partnerFk,
      token_fk: s.tokenFk,
      charge_point_id: s.chargePointId,
      connector_number: s.connectorNumber,
      id_tag: s.idTag,
      authorization_reference: s.authorizationReference,
      created_at: s.createdAt,
      expires_at: s.expiresAt,
    })
    .returning('*');
  return toRemoteStart(row);
}

/**
 * The newest unused, unexpired remote start of this idTag on this charger; on `connectorNumber` when
 * given (StartTransaction) and the remote start named a connector, any connector otherwise (Authorize).
 */
export async function findPendingRemoteStart(db: Db, q: { chargePointId: string; connectorNumber?: number; idTag: string; at: Date }): Promise<RemoteStart | undefined> {
  const query = db('ocpi_remote_starts')
    .where({ charge_point_id: q.chargePointId, id_tag: q.idTag })
    .whereNull('session_fk')
    .where('expires_at', '>', q.at);
  // A 2.0.1 station starts on the EVSE named, on whichever of its connectors the driver plugs in (evse-address.ts).
  const evse = q.connectorNumber === undefined ? undefined : evseConnectorOneOf(q.connectorNumber);
  if (evse !== undefined) query.andWhere((w) => w.whereNull('connector_number').orWhere('connector_number', q.connectorNumber!).orWhere('connector_number', evse).orWhereBetween('connector_number', sharedConnectorRange(evse)));
  const row = await query.orderBy('id', 'desc').first();
  return row ? toRemoteStart(row) : undefined;
}

export async function markRemoteStartUsed(db: Db, id: number, sessionFk: number): Promise<void> {
  await db('ocpi_remote_starts').where({ id }).update({ session_fk: sessionFk });
}

/** A session of one of our parties as STOP_SESSION needs it; `partnerFk` = the eMSP owning its token. */
export interface CommandSession {
  id: number;
  chargePointId: string;
  stopAt: Date | null;
  partnerFk: number | null;
}

export async function findSessionForCommand(db: Db, partyFk: number, uid: string): Promise<CommandSession | undefined> {
  const row = await db('sessions')
    .leftJoin('id_tokens', 'id_tokens.id', 'sessions.token_fk')
    .where({ 'sessions.uid': uid, 'sessions.party_fk': partyFk })
    .first('sessions.id', 'sessions.charge_point_id', 'sessions.stop_at', 'id_tokens.partner_fk');
  return row ? { id: row.id, chargePointId: row.charge_point_id, stopAt: row.stop_at, partnerFk: row.partner_fk ?? null } : undefined;
}

/**
 * Marks a session as started by an OCPI command (sessions §9.4.1 AuthMethod COMMAND) with the command's
 * token and authorization_reference. Written here, inside the sessions service's start transaction (a
 * SessionService.onStart hook), so that the session is right before anyone reads it.
 */
export async function updateSessionAuthorization(db: Db, sessionId: number, a: { tokenFk: number | null; authMethod: string; authorizationReference: string | null }): Promise<void> {
  await db('sessions').where({ id: sessionId }).update({ token_fk: a.tokenFk, auth_method: a.authMethod, authorization_reference: a.authorizationReference, last_updated: dbNow(db) });
}
