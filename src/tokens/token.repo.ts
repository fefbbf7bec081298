import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import { translatePg } from '../db/pg-errors.ts';
import { utcInstantOf } from '../shared/ocpi-date-time.ts';
import type { IdToken, TokenKey, TokenType, Whitelist } from './token.types.ts';
import type { OcpiTokenFields } from './ocpi.mapper.ts';

type Row = Record<string, any>;

export const toIdToken = (r: Row): IdToken => ({
  id: r.id,
  countryCode: r.country_code,
  partyId: r.party_id,
  uid: r.uid,
  type: r.type,
  contractId: r.contract_id,
  visualNumber: r.visual_number,
  issuer: r.issuer,
  groupId: r.group_id,
  valid: r.valid,
  whitelist: r.whitelist,
  language: r.language,
  defaultProfileType: r.default_profile_type ?? null,
  energyContract: r.energy_contract ?? null,
  expiryDate: r.expiry_date,
  partnerFk: r.partner_fk,
  lastUpdated: r.last_updated,
  lastUpdatedAsSent: r.last_updated_as_sent ?? null,
});

/** Tokens with this uid; the operator's own tokens (no partner) first. OCPP 1.6 idTag is case-sensitive. */
export async function listTokensByUid(db: Db, uid: string): Promise<IdToken[]> {
  const rows = await db('id_tokens').where({ uid }).orderByRaw('partner_fk is not null, id');
  return rows.map(toIdToken);
}

export interface TokenInput {
  countryCode: string;
  partyId: string;
  uid: string;
  type: TokenType;
  contractId: string;
  issuer: string;
  visualNumber?: string | null;
  groupId?: string | null;
  valid?: boolean;
  whitelist?: Whitelist;
  expiryDate?: Date | null;
  partnerFk?: number | null;
}

export async function insertToken(db: Db, t: TokenInput): Promise<IdToken> {
  const [row] = await translatePg(`token ${t.uid}`, () =>
    db('id_tokens')
      .insert({
        country_code: t.countryCode,
        party_id: t.partyId,
        uid: t.uid,
        type: t.type,
        contract_id: t.contractId,
        issuer: t.issuer,
        visual_number: t.visualNumber ?? null,
        group_id: t.groupId ?? null,
        valid: t.valid ?? true,
        whitelist: t.whitelist ?? 'ALLOWED',
        expiry_date: t.expiryDate ?? null,
        partner_fk: t.partnerFk ?? null,
        last_updated: dbNow(db),
      })
      .returning('*'),
  );
  return toIdToken(row);
}

/**
 * Inserts the tokens (one multi-row statement per 1,000) unless one with the same party, uid and type exists;
 * returns the `type/uid` keys inserted. A concurrent insert of the same key waits for the other
 * transaction's commit, then inserts nothing (ON CONFLICT DO NOTHING).
 */
export async function insertTokensIfAbsent(db: Db, tokens: readonly TokenInput[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  const now = dbNow(db);
  for (let i = 0; i < tokens.length; i += 1000) {
    const rows = tokens.slice(i, i + 1000).map((t) => ({
      country_code: t.countryCode, party_id: t.partyId, uid: t.uid, type: t.type, contract_id: t.contractId, issuer: t.issuer,
      visual_number: t.visualNumber ?? null, group_id: t.groupId ?? null, valid: t.valid ?? true, whitelist: t.whitelist ?? 'ALLOWED',
      expiry_date: t.expiryDate ?? null, partner_fk: t.partnerFk ?? null, last_updated: now,
    }));
    const returned = await db('id_tokens').insert(rows).onConflict(['country_code', 'party_id', 'uid', 'type']).ignore().returning(['uid', 'type']);
    for (const r of returned) inserted.add(`${r.type}/${r.uid}`);
  }
  return inserted;
}

export async function listTokens(db: Db, opts: { limit: number; offset: number; groupId?: string }): Promise<IdToken[]> {
  const q = db('id_tokens').orderBy('id').limit(opts.limit).offset(opts.offset);
  if (opts.groupId) q.where({ group_id: opts.groupId });
  return (await q).map(toIdToken);
}

export async function updateTokenValidity(db: Db, id: number, valid: boolean): Promise<number> {
  return db('id_tokens').where({ id }).update({ valid, last_updated: dbNow(db), last_updated_as_sent: null });
}

const FIELD_COLUMNS: Record<Exclude<keyof OcpiTokenFields, 'lastUpdated'>, string> = {
  contractId: 'contract_id', visualNumber: 'visual_number', issuer: 'issuer', groupId: 'group_id', valid: 'valid',
  whitelist: 'whitelist', language: 'language', defaultProfileType: 'default_profile_type',
  energyContract: 'energy_contract',
};

function toColumns(fields: OcpiTokenFields): Row {
  // last_updated: the instant to every digit sent (for "newer" comparisons), and the string as sent.
  const row: Row = { last_updated: utcInstantOf(fields.lastUpdated), last_updated_as_sent: fields.lastUpdated };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || key === 'lastUpdated') continue;
    const column = FIELD_COLUMNS[key as keyof typeof FIELD_COLUMNS];
    // jsonb: pass JSON text so that pg does not reinterpret the object
    row[column] = key === 'energyContract' && value !== null ? JSON.stringify(value) : value;
  }
  return row;
}

const byKey = (key: TokenKey) => ({ country_code: key.countryCode, party_id: key.partyId, uid: key.uid, type: key.type });

/** The token with this key (country_code/party_id stored upper-case, see ocpi.mapper normalizeKey). */
export async function findTokenByKey(db: Db, key: TokenKey): Promise<IdToken | undefined> {
  const row = await db('id_tokens').where(byKey(key)).first();
  return row ? toIdToken(row) : undefined;
}

/**
 * OCPI tokens §12.2.1.2 PUT: creates or replaces the token of an eMSP partner, unless the stored one is newer
 * (last_updated later than the PUT's: a change that arrives late is not applied); undefined then.
 */
export async function upsertOcpiToken(db: Db, key: TokenKey, fields: OcpiTokenFields, partnerFk: number): Promise<IdToken | undefined> {
  const [row] = await db('id_tokens')
    .insert({ ...byKey(key), ...toColumns(fields), partner_fk: partnerFk })
    .onConflict(['country_code', 'party_id', 'uid', 'type'])
    .merge({ ...toColumns(fields), partner_fk: partnerFk })
    .where('id_tokens.last_updated', '<=', utcInstantOf(fields.lastUpdated))
    .returning('*');
  return row ? toIdToken(row) : undefined;
}

/**
 * OCPI tokens §12.2.1.3 PATCH: changes only the given fields; undefined when the token does not exist or
 * is newer than the PATCH (its last_updated is later).
 */
export async function updateOcpiToken(db: Db, id: number, fields: OcpiTokenFields): Promise<IdToken | undefined> {
  const [row] = await db('id_tokens').where({ id }).andWhere('last_updated', '<=', utcInstantOf(fields.lastUpdated)).update(toColumns(fields)).returning('*');
  return row ? toIdToken(row) : undefined;
}
