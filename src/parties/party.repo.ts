import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import { NotFound } from '../shared/errors.ts';

export interface Party {
  id: number;
  countryCode: string;
  partyId: string;
  name: string;
  isDefault: boolean;
  /** ISO 4217; null: billing.defaultCurrency. */
  currency: string | null;
  /** VAT percent as a decimal string ("21", "8.1"); null: no VAT applies. */
  vatRate: string | null;
  /** Tariff prices are entered incl. VAT (stored excl. VAT, as OCPI has them). */
  pricesIncludeVat: boolean;
  /** IANA zone its statements are cut in; null: UTC. */
  timeZone: string | null;
}

/** What an operator sets on one of its parties. */
export type PartySettings = Pick<Party, 'name' | 'currency' | 'vatRate' | 'pricesIncludeVat' | 'timeZone'>;

const decimalText = (v: unknown): string | null => (v === null || v === undefined ? null : String(v).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''));

const toParty = (r: Record<string, any>): Party => ({
  id: r.id, countryCode: r.country_code, partyId: r.party_id, name: r.name, isDefault: r.is_default,
  currency: r.currency ?? null, vatRate: decimalText(r.vat_rate), pricesIncludeVat: r.prices_include_vat === true, timeZone: r.time_zone ?? null,
});

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

export async function findPartyById(db: Db, id: number): Promise<Party | undefined> {
  const row = await db('parties').where({ id }).first();
  return row ? toParty(row) : undefined;
}

/** Creates party `countryCode`/`partyId` with `settings`, or replaces the settings of the existing one. */
export async function upsertPartySettings(db: Db, key: { countryCode: string; partyId: string }, settings: PartySettings): Promise<Party> {
  const values = { name: settings.name, currency: settings.currency, vat_rate: settings.vatRate, prices_include_vat: settings.pricesIncludeVat, time_zone: settings.timeZone };
  const [row] = await db('parties')
    .insert({ country_code: key.countryCode, party_id: key.partyId, ...values, created_at: dbNow(db) })
    .onConflict(['country_code', 'party_id'])
    .merge(values)
    .returning('*');
  return toParty(row);
}
