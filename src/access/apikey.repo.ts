import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';

import type { Role } from './permissions.ts';

export type { Role } from './permissions.ts';

export interface ApiKey {
  id: number;
  name: string;
  role: Role;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const toApiKey = (r: Record<string, any>): ApiKey => ({ id: r.id, name: r.name, role: r.role, prefix: r.prefix, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at });

export async function insertApiKey(db: Db, k: { name: string; role: Role; keyHash: string; prefix: string }): Promise<ApiKey> {
  const [row] = await db('api_keys').insert({ name: k.name, role: k.role, key_hash: k.keyHash, prefix: k.prefix, created_at: dbNow(db) }).returning('*');
  return toApiKey(row);
}

/**
 * Serializes the creation of the first API key across nodes (released at the end of the transaction):
 * a second node starting at the same time waits here, then sees the first node's key.
 */
export async function lockFirstApiKeyCreation(trx: Db): Promise<void> {
  await trx.raw("select pg_advisory_xact_lock(hashtext('cpms:first-api-key'))");
}

/** Inserts the key only if the table holds no key at all (revoked ones count); undefined otherwise. */
export async function insertApiKeyIfNone(db: Db, k: { name: string; role: Role; keyHash: string; prefix: string }): Promise<ApiKey | undefined> {
  const { rows } = await db.raw(
    'insert into api_keys (name, role, key_hash, prefix, created_at) select ?, ?, ?, ?, ? where not exists (select 1 from api_keys) returning *',
    [k.name, k.role, k.keyHash, k.prefix, dbNow(db)],
  );
  return rows[0] ? toApiKey(rows[0]) : undefined;
}

export async function findActiveApiKeyByHash(db: Db, keyHash: string): Promise<ApiKey | undefined> {
  const row = await db('api_keys').where({ key_hash: keyHash }).whereNull('revoked_at').first();
  return row ? toApiKey(row) : undefined;
}

export async function touchApiKey(db: Db, id: number, at: Date): Promise<void> {
  await db('api_keys').where({ id }).update({ last_used_at: at });
}

export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  return (await db('api_keys').orderBy('id')).map(toApiKey);
}

export async function revokeApiKey(db: Db, id: number, at: Date): Promise<number> {
  return db('api_keys').where({ id }).whereNull('revoked_at').update({ revoked_at: at });
}
