import type { Db } from '../db/knex.ts';
import type { RegistrationStatus } from './charger.types.ts';

/** A charger's last message (and last Heartbeat) times kept in memory since the previous flush. */
export interface SeenRow {
  chargePointId: string;
  seenAt: Date;
  heartbeatAt: Date | null;
}

/** What the database says of a charger just written: the registration gate and the offline state. */
export interface SeenState {
  chargePointId: string;
  registrationStatus: RegistrationStatus;
  isOnline: boolean;
}

/**
 * Writes many chargers' last-seen and last-heartbeat times in one statement; a time never moves back
 * (greatest). Returns the state of each charger written; a charger deleted meanwhile is absent.
 */
export async function updateLastSeen(db: Db, rows: readonly SeenRow[]): Promise<SeenState[]> {
  if (rows.length === 0) return [];
  // The same order on every node, so that concurrent flushes tend to lock rows alike (a deadlock fails the
  // flush, whose times are kept for the next one).
  const input = [...rows]
    .sort((a, b) => (a.chargePointId < b.chargePointId ? -1 : a.chargePointId > b.chargePointId ? 1 : 0))
    .map((r) => ({ id: r.chargePointId, seen_at: r.seenAt.toISOString(), heartbeat_at: r.heartbeatAt?.toISOString() ?? null }));
  const { rows: out } = await db.raw(
    `update charge_points c
        set last_seen_at = greatest(c.last_seen_at, v.seen_at), last_heartbeat_at = greatest(c.last_heartbeat_at, v.heartbeat_at)
       from json_to_recordset(?::json) as v(id text, seen_at timestamptz, heartbeat_at timestamptz)
      where c.id = v.id
      returning c.id, c.registration_status, c.is_online`,
    [JSON.stringify(input)],
  );
  return out.map((r: Record<string, any>) => ({ chargePointId: r.id, registrationStatus: r.registration_status, isOnline: r.is_online }));
}
