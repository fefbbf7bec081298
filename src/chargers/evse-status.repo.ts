// The EVSE status recomputation of a whole batch (issue 8): what decides the OCPI status of many EVSEs in one
// statement, and their new statuses in another, instead of five statements per StatusNotification.
import { toArrayLiteral } from '../db/array-literal.ts';
import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';

/** What an EVSE's status is computed from: its connectors' OCPP statuses (by id) and whether its charger is online. */
export interface EvseStatusInput {
  evseFk: number;
  locationId: string;
  evseUid: string;
  isOnline: boolean;
  connectorStatuses: string[];
}

/** The inputs of each EVSE of `evseFks` that exists. */
export async function listEvseStatusInputs(db: Db, evseFks: readonly number[]): Promise<EvseStatusInput[]> {
  if (evseFks.length === 0) return [];
  const { rows } = await db.raw(
    `select e.id, e.location_id, e.uid, coalesce(cp.is_online, false) as is_online,
            coalesce((select array_agg(c.ocpp_status order by c.id) from connectors c where c.evse_fk = e.id), '{}') as statuses
       from evses e left join charge_points cp on cp.id = e.charge_point_id
      where e.id = any(?::int[])
      order by e.id`,
    [toArrayLiteral(evseFks)],
  );
  return rows.map((r: { id: number; location_id: string; uid: string; is_online: boolean; statuses: string[] }) => ({
    evseFk: Number(r.id),
    locationId: r.location_id,
    evseUid: r.uid,
    isOnline: r.is_online === true,
    connectorStatuses: r.statuses,
  }));
}

/** Sets each EVSE's status where it differs (moving its last_updated); returns the ids of the EVSEs changed. */
export async function updateEvseStatuses(db: Db, updates: ReadonlyArray<{ evseFk: number; status: string }>): Promise<Set<number>> {
  if (updates.length === 0) return new Set();
  const { rows } = await db.raw(
    `update evses e set status = v.status, last_updated = ?::timestamptz
       from unnest(?::int[], ?::text[]) as v(id, status)
      where e.id = v.id and e.status is distinct from v.status
      returning e.id`,
    [dbNow(db), toArrayLiteral(updates.map((u) => u.evseFk)), toArrayLiteral(updates.map((u) => u.status))],
  );
  return new Set(rows.map((r: { id: number }) => Number(r.id)));
}

/** The EVSEs of each charger of `chargePointIds` (chargers without EVSEs are absent). */
export async function listEvseFksOfChargePoints(db: Db, chargePointIds: readonly string[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (chargePointIds.length === 0) return out;
  const rows = await db('evses').whereRaw('charge_point_id = any(?)', [toArrayLiteral(chargePointIds)]).orderBy('id').select('id', 'charge_point_id');
  for (const r of rows) out.set(r.charge_point_id, [...(out.get(r.charge_point_id) ?? []), Number(r.id)]);
  return out;
}
