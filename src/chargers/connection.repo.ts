import { inPairs } from '../db/array-literal.ts';
import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import type { RegistrationStatus } from './charger.types.ts';

// A charger's credentials and connection record (charge_points.password_hash, pending_password_hash,
// is_connected, connected_node, connection_id): what handshakes, onboarding and connection tracking use.

type Row = Record<string, any>;

/** What a handshake is decided on. */
export interface AuthRecord {
  passwordHash: string | null;
  pendingPasswordHash: string | null;
  registrationStatus: RegistrationStatus;
  /** The highest OCPP security profile it was raised to or connected with (null: none recorded). */
  securityProfile: number | null;
}

const AUTH_COLUMNS = ['id', 'password_hash', 'pending_password_hash', 'registration_status', 'security_profile'];

const toAuthRecord = (row: Row): AuthRecord => ({ passwordHash: row.password_hash, pendingPasswordHash: row.pending_password_hash, registrationStatus: row.registration_status, securityProfile: row.security_profile ?? null });

export async function findAuthRecord(db: Db, id: string): Promise<AuthRecord | undefined> {
  const row = await db('charge_points').where({ id }).first(AUTH_COLUMNS);
  return row ? toAuthRecord(row) : undefined;
}

/** The auth records of many chargers in one query, in the order of `ids` (undefined: no such charger). */
export async function findAuthRecords(db: Db, ids: readonly string[]): Promise<Array<AuthRecord | undefined>> {
  const rows: Row[] = await db('charge_points').whereRaw('id = any(?)', [[...new Set(ids)]]).select(AUTH_COLUMNS);
  const byId = new Map(rows.map((r) => [r.id as string, toAuthRecord(r)]));
  return ids.map((id) => byId.get(id));
}

/** Inserts an onboarding charger unless another handshake already did; returns whether this one did. */
export async function insertChargePointIfAbsent(db: Db, cp: { id: string; passwordHash: string | null; registrationStatus: RegistrationStatus }): Promise<boolean> {
  const rows = await db('charge_points').insert({ id: cp.id, password_hash: cp.passwordHash, registration_status: cp.registrationStatus, created_at: dbNow(db), updated_at: dbNow(db) }).onConflict('id').ignore().returning('id');
  return rows.length > 0;
}

/**
 * Claims the connection of a charger without a password for one socket: succeeds only while no other
 * connection of it is recorded (one statement, so of two racing handshakes exactly one wins).
 */
export async function claimConnection(db: Db, id: string, c: { connectionId: string; node: string }): Promise<boolean> {
  const count = await db('charge_points')
    .where({ id, is_connected: false })
    .whereNull('password_hash')
    .update({ is_connected: true, connection_id: c.connectionId, connected_node: c.node, updated_at: dbNow(db) });
  return count > 0;
}

/** The charger proved it holds the pending password: it becomes its password (if still pending). */
export async function promotePendingPassword(db: Db, id: string, pendingHash: string): Promise<void> {
  await db('charge_points').where({ id, pending_password_hash: pendingHash }).update({ password_hash: pendingHash, pending_password_hash: null, password_changed_at: dbNow(db), updated_at: dbNow(db) });
}

/**
 * Connected, Accepted chargers with a password and no rotation under way whose password last changed (or,
 * never rotated, whose row was created) before `before`; oldest first.
 */
export async function listChargersDueForRotation(db: Db, before: Date, limit: number): Promise<string[]> {
  const changed = db.raw('coalesce(password_changed_at, created_at)');
  return db('charge_points')
    .where({ registration_status: 'Accepted', is_connected: true })
    .whereNotNull('password_hash')
    .whereNull('pending_password_hash')
    .where(changed, '<', before)
    .orderByRaw('coalesce(password_changed_at, created_at), id')
    .limit(limit)
    .pluck('id');
}

/** Forgets the pending password if it is still `pendingHash` (the charger refused it). */
export async function clearPendingPassword(db: Db, id: string, pendingHash: string): Promise<void> {
  await db('charge_points').where({ id, pending_password_hash: pendingHash }).update({ pending_password_hash: null, updated_at: dbNow(db) });
}

/**
 * The charger confirmed the pending password: it becomes the password and the charger Accepted. Also
 * when a handshake with it already made it the password; false when the credentials changed otherwise.
 */
export async function acceptPendingPassword(db: Db, id: string, pendingHash: string): Promise<boolean> {
  const count = await db('charge_points')
    .where({ id })
    .andWhere((q) => q.where({ pending_password_hash: pendingHash }).orWhere({ password_hash: pendingHash }))
    .update({ password_hash: pendingHash, pending_password_hash: null, registration_status: 'Accepted', updated_at: dbNow(db) });
  return count > 0;
}

/** Chargers recorded as connected (to `node` when given), locked for the caller's update. */
export async function listConnectedChargePoints(db: Db, node?: string): Promise<Array<{ id: string; connectedNode: string | null }>> {
  const rows = await db('charge_points').where({ is_connected: true }).modify((q) => void (node === undefined ? q : q.where({ connected_node: node }))).select('id', 'connected_node').forUpdate();
  return rows.map((r: Row) => ({ id: r.id, connectedNode: r.connected_node }));
}

/**
 * Marks disconnected the chargers whose row still names one of the given (charger, socket) pairs on
 * `node` (compare-and-clear); returns the ids changed.
 */
export async function releaseConnections(db: Db, node: string, sockets: Array<[string, string]>, at: Date): Promise<string[]> {
  const rows = await db('charge_points')
    .where({ connected_node: node })
    .whereRaw(...inPairs(['id', 'connection_id'], ['text', 'uuid'], sockets))
    .update({ is_connected: false, connected_node: null, connection_id: null, disconnected_at: at, updated_at: dbNow(db) })
    .returning('id');
  return rows.map((r: Row) => r.id);
}

/** Records security profile `profile` unless a higher (or the same) one is recorded already: it never goes down. */
export async function raiseSecurityProfile(db: Db, id: string, profile: number): Promise<void> {
  await db('charge_points')
    .where({ id })
    .andWhere((q) => q.whereNull('security_profile').orWhere('security_profile', '<', profile))
    .update({ security_profile: profile, updated_at: dbNow(db) });
}

/** Keeps `pendingHash` as the password the charger is being sent (its current one stays valid meanwhile). */
export async function setPendingPassword(db: Db, id: string, pendingHash: string): Promise<void> {
  await db('charge_points').where({ id }).update({ pending_password_hash: pendingHash, updated_at: dbNow(db) });
}
