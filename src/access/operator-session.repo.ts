import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import type { Role } from './permissions.ts';

/** A live session with the account it belongs to. */
export interface SessionPrincipal {
  sessionId: number;
  operatorId: number;
  email: string;
  role: Role;
  mustChangePassword: boolean;
  expiresAt: Date;
}

export async function insertSession(db: Db, s: { operatorId: number; tokenHash: string; expiresAt: Date }): Promise<number> {
  const [row] = await db('operator_sessions').insert({ operator_id: s.operatorId, token_hash: s.tokenHash, created_at: dbNow(db), expires_at: s.expiresAt }).returning('id');
  return row.id;
}

/** The unexpired session of `tokenHash` whose account is not disabled. */
export async function findLiveSession(db: Db, tokenHash: string): Promise<SessionPrincipal | undefined> {
  const row = await db('operator_sessions as s')
    .join('operators as o', 'o.id', 's.operator_id')
    .where('s.token_hash', tokenHash)
    .where('s.expires_at', '>', dbNow(db))
    .whereNull('o.disabled_at')
    .first('s.id as session_id', 's.operator_id', 's.expires_at', 'o.email', 'o.role', 'o.must_change_password');
  return row ? { sessionId: row.session_id, operatorId: row.operator_id, email: row.email, role: row.role, mustChangePassword: row.must_change_password, expiresAt: row.expires_at } : undefined;
}

export async function deleteSession(db: Db, id: number): Promise<void> {
  await db('operator_sessions').where({ id }).delete();
}

/** Every session of the account but `keepSessionId` (all of them when undefined). */
export async function deleteOperatorSessions(db: Db, operatorId: number, keepSessionId?: number): Promise<number> {
  const q = db('operator_sessions').where({ operator_id: operatorId });
  if (keepSessionId !== undefined) q.whereNot({ id: keepSessionId });
  return q.delete();
}

/** Sessions past their expiry (housekeeping on login: the table does not grow without bound). */
export async function deleteExpiredSessions(db: Db, operatorId: number): Promise<void> {
  await db('operator_sessions').where({ operator_id: operatorId }).where('expires_at', '<=', dbNow(db)).delete();
}
