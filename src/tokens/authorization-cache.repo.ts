import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import type { AllowedType } from './token.types.ts';

// Cached real-time authorization answers (OCPI 2.2.1 tokens §12.2.2.2), one per token and location.

export interface CachedAuthorization {
  allowed: AllowedType;
  authorizationReference: string | null;
  expiresAt: Date;
}

/** The cached answer for this token at this location ('' = no location), unless expired at `now`. */
export async function findCachedAuthorization(db: Db, tokenFk: number, locationId: string, now: Date): Promise<CachedAuthorization | undefined> {
  const row = await db('authorization_cache').where({ token_fk: tokenFk, location_id: locationId }).andWhere('expires_at', '>', now).first();
  return row ? { allowed: row.allowed, authorizationReference: row.authorization_reference, expiresAt: row.expires_at } : undefined;
}

export async function upsertCachedAuthorization(db: Db, tokenFk: number, locationId: string, entry: CachedAuthorization): Promise<void> {
  const fields = { allowed: entry.allowed, authorization_reference: entry.authorizationReference, expires_at: entry.expiresAt };
  await db('authorization_cache')
    .insert({ token_fk: tokenFk, location_id: locationId, ...fields, created_at: dbNow(db) })
    .onConflict(['token_fk', 'location_id'])
    .merge({ ...fields, created_at: dbNow(db) });
}

/** A token changed (PUT / PATCH from its eMSP): its cached answers no longer hold. */
export async function deleteCachedAuthorizationsOfToken(db: Db, tokenFk: number): Promise<number> {
  return (await db('authorization_cache').where({ token_fk: tokenFk }).delete().returning('id')).length;
}

/** Job authorization-cache-expiry: removes entries whose validity ended at or before `now`. */
export async function deleteExpiredAuthorizations(db: Db, now: Date): Promise<number> {
  // returning: knex-pglite does not report a delete's row count as pg does
  return (await db('authorization_cache').where('expires_at', '<=', now).delete().returning('id')).length;
}
