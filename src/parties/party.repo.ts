import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import { NotFound } from '../shared/errors.ts';

export interface Party {
  id: number;
  countryCode: string;
  partyId: string;
  name: string;
  isDefault: boolean;
}

const toParty = (r: Record<string, any>): Party => ({ id: r.id, countryCode: r.country_code, partyId: r.party_id, name: r.name, isDefault: r.is_default });

/** Makes sure the operator's own default party exists and is the only default; returns it. */
export async function upsertDefaultParty(db: Db, p: { countryCode: string; partyId: string; name: string }): Promise<Party> {
  await db('parties').where({ is_default: true }).whereNot({ country_code: p.countryCode, party_id: p.partyId }).update({ is_default: false });
  const [row] = await db('parties')
    .insert({ country_code: p.countryCode, party_id: p.partyId, name: p.name, is_default: true, created_at: dbNow(db) })
    .onConflict(['country_code', 'party_id'])
    .merge({ is_default: true })
    .returning('*');
  return toParty(row);
}

export async function getDefaultParty(db: Db): Promise<Party> {
  const row = await db('parties').where({ is_default: true }).first();
  if (!row) throw new NotFound('no default party configured');
  return toParty(row);
}

export async function findParty(db: Db, countryCode: string, partyId: string): Promise<Party | undefined> {
  const row = await db('parties').whereRaw('upper(country_code) = upper(?) and upper(party_id) = upper(?)', [countryCode, partyId]).first();
  return row ? toParty(row) : undefined;
}

export async function insertParty(db: Db, p: { countryCode: string; partyId: string; name: string }): Promise<Party> {
  const [row] = await db('parties').insert({ country_code: p.countryCode.toUpperCase(), party_id: p.partyId.toUpperCase(), name: p.name, created_at: dbNow(db) }).returning('*');
  return toParty(row);
}

export async function listParties(db: Db): Promise<Party[]> {
  return (await db('parties').orderBy('id')).map(toParty);
}
