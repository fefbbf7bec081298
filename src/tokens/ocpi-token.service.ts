import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { hasPartnerParty, type Partner, type PartyRef } from '../partners/partner.types.ts';
// eslint-disable-next-line no-restricted-syntax -- this service is the OCPI tokens receiver: 2004 (unknown token) and 2001 with HTTP 404 (transport §4.1.5) have no domain error equivalent
import { OcpiError, UnknownToken } from '../ocpi/errors.ts';
import { InvalidInput } from '../shared/errors.ts';
import * as repo from './token.repo.ts';
import { deleteCachedAuthorizationsOfToken } from './authorization-cache.repo.ts';
import { fromOcpiPatch, fromOcpiToken, keyOf, normalizeKey } from './ocpi.mapper.ts';
import type { IdToken, OcpiToken, TokenKey } from './token.types.ts';

/** True when the partner is a hub (its own role or one of its credentials roles): it forwards other parties' objects. */
export function isHub(partner: Partner): boolean {
  return partner.role === 'HUB' || partner.roles.some((r) => r.role === 'HUB');
}

/**
 * OCPI 2.2.1 transport §4.1.5 (client owned objects): a partner may only address objects of the parties
 * it declared in its credentials roles, or any party when it is a hub. Transport "Errors" lets us answer
 * 404 to block access to objects that are not theirs; the status 2001 names the reason.
 */
export function assertPartnerParty(partner: Partner, party: PartyRef): void {
  if (isHub(partner) || hasPartnerParty(partner, party)) return;
  throw new OcpiError(`country_code/party_id: ${party.countryCode}/${party.partyId} is not a party of this partner`, 2001, 404);
}

/** URL key vs. body (tokens §12.2.1.2: country_code and party_id "SHALL be the same value"; transport: id → 2001). */
function assertSameKey(url: TokenKey, body: Partial<OcpiToken>): void {
  const checks: Array<[keyof OcpiToken, string, boolean]> = [
    ['country_code', url.countryCode, body.country_code === undefined || body.country_code.toUpperCase() === url.countryCode],
    ['party_id', url.partyId, body.party_id === undefined || body.party_id.toUpperCase() === url.partyId],
    ['uid', url.uid, body.uid === undefined || body.uid === url.uid],
    ['type', url.type, body.type === undefined || body.type === url.type],
  ];
  for (const [field, expected, ok] of checks) {
    if (!ok) throw new InvalidInput(`${field}: must equal the URL's ${expected}`);
  }
}

/**
 * Keeps a token that came with an OCPI command (START_SESSION, RESERVE_NOW) for `partner`, inside the
 * command's transaction. A token the eMSP pushed through the tokens module stays as it is; undefined when
 * the token is stored for another partner.
 */
export async function storeCommandToken(trx: Db, partner: Partner, token: OcpiToken): Promise<{ id: number } | undefined> {
  const key = keyOf(token);
  const existing = await repo.findTokenByKey(trx, key);
  if (existing) return existing.partnerFk === partner.id ? existing : undefined;
  // Undefined only when another request stored a newer one in between: that one is kept.
  const stored = (await repo.upsertOcpiToken(trx, key, fromOcpiToken(token), partner.id)) ?? (await repo.findTokenByKey(trx, key));
  return stored?.partnerFk === partner.id ? stored : undefined;
}

/** Tokens pushed to us by eMSPs (OCPI tokens RECEIVER), and tokens pulled from them (token-sync). */
export class OcpiTokenService {
  constructor(private readonly o: { db: Knex }) {}

  /** §12.2.1.1 GET: our copy; unknown → 2004. */
  async get(partner: Partner, urlKey: TokenKey): Promise<IdToken> {
    const key = normalizeKey(urlKey);
    assertPartnerParty(partner, key);
    const token = await repo.findTokenByKey(this.o.db, key);
    if (!token) throw new UnknownToken(`token ${key.countryCode}/${key.partyId}/${key.uid} (${key.type}) unknown`);
    return token;
  }

  /**
   * §12.2.1.2 PUT: creates or replaces the token; its cached real-time answers are dropped. A PUT older than
   * the stored token (last_updated earlier, to the fractional digit) changes nothing: changes may arrive out
   * of order, and a late one must not undo a newer one. Returns what is stored afterwards.
   */
  async put(partner: Partner, urlKey: TokenKey, body: OcpiToken): Promise<IdToken> {
    const key = normalizeKey(urlKey);
    assertPartnerParty(partner, key);
    assertSameKey(key, body);
    return this.o.db.transaction(async (trx) => {
      const token = await repo.upsertOcpiToken(trx, key, fromOcpiToken(body), partner.id);
      if (!token) return (await repo.findTokenByKey(trx, key))!;
      await deleteCachedAuthorizationsOfToken(trx, token.id);
      return token;
    });
  }

  /** §12.2.1.3 PATCH: changes the fields present, unless the stored token is newer (as PUT); unknown token → 2004. */
  async patch(partner: Partner, urlKey: TokenKey, body: Partial<OcpiToken> & { last_updated: string }): Promise<IdToken> {
    const key = normalizeKey(urlKey);
    assertPartnerParty(partner, key);
    assertSameKey(key, body);
    return this.o.db.transaction(async (trx) => {
      const existing = await repo.findTokenByKey(trx, key);
      if (!existing) throw new UnknownToken(`token ${key.countryCode}/${key.partyId}/${key.uid} (${key.type}) unknown`);
      const token = await repo.updateOcpiToken(trx, existing.id, fromOcpiPatch(body));
      if (!token) return existing;
      await deleteCachedAuthorizationsOfToken(trx, token.id);
      return token;
    });
  }

  /**
   * Token synchronisation (§12.1.2 pull model): stores validated tokens of a page in one transaction,
   * unless ours is newer (a push that overtook the pull). Returns how many were stored.
   */
  async storePulled(partner: Partner, tokens: OcpiToken[]): Promise<number> {
    return this.o.db.transaction(async (trx) => {
      let stored = 0;
      for (const t of tokens) {
        const token = await repo.upsertOcpiToken(trx, keyOf(t), fromOcpiToken(t), partner.id);
        if (!token) continue;
        await deleteCachedAuthorizationsOfToken(trx, token.id);
        stored += 1;
      }
      return stored;
    });
  }
}
