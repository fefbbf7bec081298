// Reads of the charging network and sessions that tariff assignment needs, and the two columns tariffs
// own outside their tables: connectors.tariff_ids (OCPI Connector.tariff_ids) and the session snapshot.
import type { Db } from '../db/knex.ts';
import { NotFound } from '../shared/errors.ts';
import type { Tariff } from './tariff.types.ts';
import type { Audience, ChargingSite } from './tariff-selection.ts';

type Row = Record<string, any>;

export interface ConnectorSite extends ChargingSite {
  connectorFk: number;
  /** The stored general Connector.tariff_ids; null when never computed (a connector reported after its rules were made). */
  tariffIds: string[] | null;
}

const sites = (db: Db) =>
  db('connectors as c')
    .leftJoin('evses as e', 'e.id', 'c.evse_fk')
    .select('c.id as connector_fk', 'c.evse_fk', 'e.location_id', 'c.tariff_ids');

const toSite = (r: Row): ConnectorSite => ({
  connectorFk: r.connector_fk,
  evseFk: r.evse_fk,
  locationId: r.location_id ?? null,
  tariffIds: Array.isArray(r.tariff_ids) ? r.tariff_ids : null,
});

/** The connector `connectorNumber` of charger `chargePointId`, with its EVSE and location. */
export async function getConnectorSite(db: Db, chargePointId: string, connectorNumber: number): Promise<ConnectorSite> {
  const row = await sites(db).where({ 'c.charge_point_id': chargePointId, 'c.connector_number': connectorNumber }).first();
  if (!row) throw new NotFound(`connector ${connectorNumber} of charger ${chargePointId} not found`);
  return toSite(row);
}

export async function getEvseFkByUid(db: Db, uid: string): Promise<number> {
  const row = await db('evses').where({ uid }).first('id');
  if (!row) throw new NotFound(`EVSE ${uid} not found`);
  return row.id;
}

export async function hasLocation(db: Db, id: string): Promise<boolean> {
  return (await db('locations').where({ id }).first('id')) !== undefined;
}

/** The connectors an assignment scope covers (one connector, an EVSE's, or a location's). */
export async function listConnectorSitesInScope(db: Db, scope: ChargingSite): Promise<ConnectorSite[]> {
  const q = sites(db);
  if (scope.connectorFk !== null) q.where('c.id', scope.connectorFk);
  else if (scope.evseFk !== null) q.where('c.evse_fk', scope.evseFk);
  else if (scope.locationId !== null) q.where('e.location_id', scope.locationId);
  else return [];
  return (await q.orderBy('c.id')).map(toSite);
}

/** The connectors with these ids, with their EVSE and location. */
export async function listConnectorSitesByIds(db: Db, connectorFks: readonly number[]): Promise<ConnectorSite[]> {
  if (connectorFks.length === 0) return [];
  return (await sites(db).whereIn('c.id', [...connectorFks]).orderBy('c.id')).map(toSite);
}

/** Sets OCPI Connector.tariff_ids and bumps the connector's last_updated (locations §8.3.4). */
export async function updateConnectorTariffIds(db: Db, connectorFk: number, tariffIds: string[], at: Date): Promise<void> {
  await db('connectors').where({ id: connectorFk }).update({ tariff_ids: JSON.stringify(tariffIds), last_updated: at });
}

/** Site of a session's connector: the EVSE row is found by the session's EVSE uid. */
export async function findEvseFk(db: Db, evseUid: string | null): Promise<number | null> {
  if (evseUid === null) return null;
  const row = await db('evses').where({ uid: evseUid }).first('id');
  return row?.id ?? null;
}

/**
 * eMSP party and group of the session's token, read from the row: a start hook that ran earlier in the same
 * transaction may have set token_fk (remote start). A token of the operator's own (no partner) has no eMSP
 * party; (null, null) without a token.
 */
export async function findSessionAudience(db: Db, sessionId: number): Promise<Audience> {
  const row = await db('sessions as s').leftJoin('id_tokens as t', 't.id', 's.token_fk').where('s.id', sessionId).first('t.id', 't.partner_fk', 't.country_code', 't.party_id', 't.group_id');
  if (!row || row.id === null) return { party: null, groupId: null };
  return audienceOf({ id: row.id, partnerFk: row.partner_fk, countryCode: row.country_code, partyId: row.party_id, groupId: row.group_id });
}

/** What of a token decides a tariff's audience. */
export interface TokenAudience {
  id: number;
  partnerFk: number | null;
  countryCode: string;
  partyId: string;
  groupId: string | null;
}

/** The eMSP party (a roaming token's) and the group of a token. */
export function audienceOf(t: TokenAudience): Audience {
  return { party: t.partnerFk !== null ? { countryCode: t.countryCode, partyId: t.partyId } : null, groupId: t.groupId ?? null };
}

/** Stores the tariff in force at the session start (never changed afterwards). */
export async function updateSessionTariff(db: Db, sessionId: number, tariff: Tariff): Promise<void> {
  await db('sessions').where({ id: sessionId }).update({ tariff_snapshot: JSON.stringify(tariff), currency: tariff.currency });
}

export async function findSessionTariff(db: Db, sessionId: number): Promise<Tariff | null> {
  const row = await db('sessions').where({ id: sessionId }).first('tariff_snapshot');
  return row?.tariff_snapshot ?? null;
}
