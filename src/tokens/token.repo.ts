import type { Db } from '../db/knex.ts';
import { translatePg } from '../db/pg-errors.ts';
import type { IdToken, TokenType, Whitelist } from './token.types.ts';

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
  expiryDate: r.expiry_date,
  partnerFk: r.partner_fk,
  lastUpdated: r.last_updated,
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
      })
      .returning('*'),
  );
  return toIdToken(row);
}

export async function listTokens(db: Db, opts: { limit: number; offset: number; groupId?: string }): Promise<IdToken[]> {
  const q = db('id_tokens').orderBy('id').limit(opts.limit).offset(opts.offset);
  if (opts.groupId) q.where({ group_id: opts.groupId });
  return (await q).map(toIdToken);
}

export async function updateTokenValidity(db: Db, id: number, valid: boolean): Promise<number> {
  return db('id_tokens').where({ id }).update({ valid, last_updated: db.fn.now() });
}
