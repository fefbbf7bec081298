import { dbNow } from '../db/clock.ts';
import { recordFailedLogin, resetFailedLogins } from '../db/failed-logins.ts';
import type { Db } from '../db/knex.ts';
import { translatePg } from '../db/pg-errors.ts';
import type { Role } from './permissions.ts';

/** An operator account as the API shows it (never its password hash). */
export interface Operator {
  id: number;
  email: string;
  name: string | null;
  role: Role;
  mustChangePassword: boolean;
  lockedUntil: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a login checks: the account with its password hash and lock-out state. */
export interface OperatorCredentials extends Operator {
  passwordHash: string;
  failedAttempts: number;
}

const toOperator = (r: Record<string, any>): Operator => ({
  id: r.id, email: r.email, name: r.name, role: r.role, mustChangePassword: r.must_change_password, lockedUntil: r.locked_until, disabledAt: r.disabled_at, createdAt: r.created_at, updatedAt: r.updated_at,
});

const toCredentials = (r: Record<string, any>): OperatorCredentials => ({ ...toOperator(r), passwordHash: r.password_hash, failedAttempts: r.failed_attempts });

export async function insertOperator(db: Db, o: { email: string; name: string | null; role: Role; passwordHash: string; mustChangePassword: boolean }): Promise<Operator> {
  const now = dbNow(db);
  const [row] = await translatePg(`operator ${o.email}`, () =>
    db('operators').insert({ email: o.email, name: o.name, role: o.role, password_hash: o.passwordHash, must_change_password: o.mustChangePassword, failed_attempts: 0, created_at: now, updated_at: now }).returning('*'),
  );
  return toOperator(row);
}

/** By email, whatever its case. */
export async function findCredentialsByEmail(db: Db, email: string): Promise<OperatorCredentials | undefined> {
  const row = await db('operators').whereRaw('lower(email) = lower(?)', [email]).first();
  return row ? toCredentials(row) : undefined;
}

export async function findCredentialsById(db: Db, id: number): Promise<OperatorCredentials | undefined> {
  const row = await db('operators').where({ id }).first();
  return row ? toCredentials(row) : undefined;
}

export async function findOperator(db: Db, id: number): Promise<Operator | undefined> {
  const row = await db('operators').where({ id }).first();
  return row ? toOperator(row) : undefined;
}

export async function listOperators(db: Db, page: { limit: number; offset: number }): Promise<Operator[]> {
  return (await db('operators').orderBy('id').limit(page.limit).offset(page.offset)).map(toOperator);
}

/**
 * Counts one failed login, atomically: the `maxFailed`-th failure in a row locks the account until
 * `lockedUntil` and starts the count again. Returns the lock, or null while not locked.
 */
export const recordOperatorFailedLogin = (db: Db, id: number, o: { maxFailed: number; lockedUntil: Date }): Promise<Date | null> => recordFailedLogin(db, 'operators', id, o);

export const resetOperatorFailedLogins = (db: Db, id: number): Promise<void> => resetFailedLogins(db, 'operators', id);

export async function updatePassword(db: Db, id: number, o: { passwordHash: string; mustChangePassword: boolean }): Promise<number> {
  return db('operators').where({ id }).update({ password_hash: o.passwordHash, must_change_password: o.mustChangePassword, updated_at: dbNow(db) });
}

/** Role, name, disabled (disabledAt null = enabled again); returns the updated account. */
export async function updateOperator(db: Db, id: number, patch: { role?: Role; name?: string | null; disabledAt?: Date | null }): Promise<Operator | undefined> {
  const changes: Record<string, unknown> = { updated_at: dbNow(db) };
  if (patch.role !== undefined) changes.role = patch.role;
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.disabledAt !== undefined) changes.disabled_at = patch.disabledAt;
  const [row] = await db('operators').where({ id }).update(changes).returning('*');
  return row ? toOperator(row) : undefined;
}
