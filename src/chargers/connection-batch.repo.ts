import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';

// Many sockets' connection records in a constant number of statements (issue 8, reconnect storm): the
// connection writer's batch transaction calls these in this order (charger rows first, in id order).

type Row = Record<string, any>;

/** A socket that opened on `node`: recorded as its charger's connection. */
export interface ConnectedSocket {
  id: string;
  protocol: string;
  connectionId: string;
  at: Date;
}

const asJson = (sockets: readonly ConnectedSocket[]) => JSON.stringify(sockets.map((s) => ({ id: s.id, protocol: s.protocol, connection_id: s.connectionId, at: s.at.toISOString() })));

/**
 * Records each socket as its charger's connection on `node` (one socket per charger: the caller keeps the
 * last); locks the rows in id order. Returns the ids recorded (a charger deleted meanwhile is absent).
 */
export async function updateConnectedChargers(db: Db, node: string, sockets: readonly ConnectedSocket[]): Promise<Set<string>> {
  const { rows } = await db.raw(
    `update charge_points c
        set is_connected = true, is_online = true, protocol = v.protocol, connected_node = ?, connection_id = v.connection_id,
            connected_at = v.at, last_seen_at = v.at, updated_at = ?
       from (select v.* from json_to_recordset(?::json) as v(id text, protocol text, connection_id uuid, at timestamptz)
               join charge_points l on l.id = v.id order by v.id for update of l) v
      where c.id = v.id
      returning c.id`,
    [node, dbNow(db), asJson(sockets)],
  );
  return new Set(rows.map((r: Row) => r.id as string));
}

/** Clears the chargers' open OFFLINE faults (connector 0), each at its connection time. */
export async function clearOfflineFaults(db: Db, sockets: readonly ConnectedSocket[]): Promise<void> {
  await db.raw(
    `update faults f set cleared_at = v.at
       from json_to_recordset(?::json) as v(id text, at timestamptz)
      where f.charge_point_id = v.id and f.connector_number = 0 and f.kind = 'OFFLINE' and f.cleared_at is null`,
    [JSON.stringify(sockets.map((s) => ({ id: s.id, at: s.at.toISOString() })))],
  );
}

/** One `Connected` charger event per socket. */
export async function insertConnectedEvents(db: Db, node: string, sockets: readonly ConnectedSocket[]): Promise<void> {
  if (sockets.length === 0) return;
  await db('charge_point_events').insert(sockets.map((s) => ({ charge_point_id: s.id, type: 'Connected', payload: JSON.stringify({ protocol: s.protocol, node, connectionId: s.connectionId }), occurred_at: s.at })));
}
