import type { Knex } from 'knex';
import { LAST_POWER_SQL } from './event.repo.ts';
import type { LiveQuery } from './live-query.ts';

/** One row per connector of a charger on the page (a charger without connectors: one row, connector null). */
export interface LiveRow {
  id: string;
  location_id: string | null;
  is_connected: boolean;
  is_online: boolean;
  connected_at: Date | null;
  disconnected_at: Date | null;
  last_seen_at: Date | null;
  connector_number: number | null;
  ocpp_status: string | null;
  error_code: string | null;
  status_at: Date | null;
  session_id: number | null;
  session_uid: string | null;
  energy_wh: string | number | null;
  start_at: Date | null;
  currency: string | null;
  tariff_snapshot: unknown;
  time_zone: string | null;
  power_w: string | number | null;
}

function pageFilter(q: LiveQuery): { sql: string; bindings: Knex.Value[] } {
  const where: string[] = [];
  const bindings: Knex.Value[] = [];
  if (q.afterId !== undefined) (where.push('cp.id > ?'), bindings.push(q.afterId));
  if (q.locationId !== undefined) (where.push('cp.location_id = ?'), bindings.push(q.locationId));
  if (q.status === 'connected' || q.status === 'disconnected') (where.push('cp.is_connected = ?'), bindings.push(q.status === 'connected'));
  else if (q.status !== undefined) {
    // Index connectors_status_charge_point: the chargers with a connector in that status, in id order.
    where.push(`cp.id in (select c2.charge_point_id from connectors c2 where c2.ocpp_status = ?${q.afterId !== undefined ? ' and c2.charge_point_id > ?' : ''})`);
    bindings.push(q.status, ...(q.afterId !== undefined ? [q.afterId] : []));
  }
  return { sql: where.length ? `where ${where.join(' and ')}` : '', bindings };
}

/**
 * One statement for a whole page (no N+1): `limit + 1` chargers in id order (keyset, one more tells
 * whether a next page exists), each with its connectors, the ACTIVE session on each (partial index
 * sessions_active_on_connector) and that session's last power sample.
 */
export async function listLiveRows(db: Knex, q: LiveQuery): Promise<LiveRow[]> {
  const f = pageFilter(q);
  const { rows } = await db.raw(
    `with page as (
       select cp.id, cp.location_id, cp.is_connected, cp.is_online, cp.connected_at, cp.disconnected_at, cp.last_seen_at
         from charge_points cp ${f.sql}
        order by cp.id limit ?)
     select page.*, c.connector_number, c.ocpp_status, c.error_code, c.status_at,
            s.id as session_id, s.uid as session_uid, s.energy_wh, s.start_at, s.currency, s.tariff_snapshot, l.time_zone, p.power_w
       from page
       left join connectors c on c.charge_point_id = page.id
       left join lateral (
         select s1.id, s1.uid, s1.energy_wh, s1.start_at, s1.currency, s1.tariff_snapshot, s1.location_id from sessions s1
          where s1.charge_point_id = page.id and s1.connector_number = c.connector_number and s1.status = 'ACTIVE'
          order by s1.start_at desc limit 1) s on true
       left join locations l on l.id = s.location_id
       left join lateral (${LAST_POWER_SQL}) p on s.id is not null
      order by page.id, c.connector_number`,
    [...f.bindings, q.limit + 1],
  );
  return rows as LiveRow[];
}
