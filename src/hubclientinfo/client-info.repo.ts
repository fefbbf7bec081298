import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import { utcInstantOf } from '../shared/ocpi-date-time.ts';

/** OCPI 2.2.1 hubclientinfo §15.5.1 ConnectionStatus. */
export type ConnectionStatus = 'CONNECTED' | 'OFFLINE' | 'PLANNED' | 'SUSPENDED';

/** A ClientInfo object as pushed by a hub: the connection state of a party behind it. */
export interface ClientInfo {
  partnerFk: number;
  countryCode: string;
  partyId: string;
  role: string;
  status: ConnectionStatus;
  lastUpdated: Date;
  /** last_updated as the hub sent it (OCPI DateTime, every fractional digit); null for rows from before it was kept. */
  lastUpdatedAsSent: string | null;
}

/** A ClientInfo to store: its last_updated as the hub sent it (types §16.2), kept to the digit. */
export type ClientInfoInput = Omit<ClientInfo, 'lastUpdated' | 'lastUpdatedAsSent'> & { lastUpdated: string };

const toClientInfo = (r: Record<string, any>): ClientInfo => ({
  partnerFk: r.partner_fk,
  countryCode: r.country_code,
  partyId: r.party_id,
  role: r.role,
  status: r.status,
  lastUpdated: r.last_updated,
  lastUpdatedAsSent: r.last_updated_as_sent ?? null,
});

/** The ClientInfo of party cc/pid as the hub `partnerFk` last pushed it. */
export async function findClientInfo(db: Db, partnerFk: number, countryCode: string, partyId: string): Promise<ClientInfo | undefined> {
  const row = await db('hub_client_info').where({ partner_fk: partnerFk, country_code: countryCode, party_id: partyId }).first();
  return row ? toClientInfo(row) : undefined;
}

/** The latest ClientInfo about party cc/pid from any hub (e.g. to check whether it is CONNECTED). */
export async function findLatestClientInfoOfParty(db: Db, countryCode: string, partyId: string): Promise<ClientInfo | undefined> {
  const row = await db('hub_client_info').where({ country_code: countryCode, party_id: partyId }).orderBy('last_updated', 'desc').first();
  return row ? toClientInfo(row) : undefined;
}

/**
 * hubclientinfo §15.3.1.2 PUT: creates or replaces the object (it cannot be deleted, only SUSPENDED). A PUT
 * older than the stored object (its last_updated is earlier) changes nothing: pushes may arrive out of
 * order, and a late OFFLINE must not undo a newer CONNECTED. Returns what is stored afterwards.
 */
export async function upsertClientInfo(db: Db, c: ClientInfoInput): Promise<ClientInfo> {
  // Compared as the instant to every fractional digit sent; given back as the string sent.
  const lastUpdated = utcInstantOf(c.lastUpdated);
  const fields = { role: c.role, status: c.status, last_updated: lastUpdated, last_updated_as_sent: c.lastUpdated, received_at: dbNow(db) };
  const [row] = await db('hub_client_info')
    .insert({ partner_fk: c.partnerFk, country_code: c.countryCode, party_id: c.partyId, ...fields })
    .onConflict(['partner_fk', 'country_code', 'party_id'])
    .merge(fields)
    .where('hub_client_info.last_updated', '<=', lastUpdated)
    .returning('*');
  return row ? toClientInfo(row) : (await findClientInfo(db, c.partnerFk, c.countryCode, c.partyId))!;
}
