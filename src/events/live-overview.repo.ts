import type { Knex } from 'knex';

/** Connectors (each its own EVSE) by what an operator looks for first; an offline charger's are offline whatever they last said. */
export interface EvseCounts {
  total: number;
  available: number;
  charging: number;
  faulted: number;
  offline: number;
}

// OCPP 1.6 §7.7: Preparing, Charging, SuspendedEV(SE) and Finishing all mean a car is there.
const COUNTS_SQL = `count(c.id)::int as total,
  count(c.id) filter (where cp.is_online and c.ocpp_status = 'Available')::int as available,
  count(c.id) filter (where cp.is_online and c.ocpp_status in ('Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing'))::int as charging,
  count(c.id) filter (where cp.is_online and c.ocpp_status = 'Faulted')::int as faulted,
  count(c.id) filter (where not cp.is_online)::int as offline`;

const toCounts = (r: Record<string, number>): EvseCounts => ({ total: r.total, available: r.available, charging: r.charging, faulted: r.faulted, offline: r.offline });

/** The whole network's counts in one aggregate (an index-only scan of connectors at 50,000 chargers). */
export async function countEvses(db: Knex): Promise<EvseCounts> {
  const { rows } = await db.raw(`select ${COUNTS_SQL} from connectors c join charge_points cp on cp.id = c.charge_point_id where c.connector_number >= 1`);
  return toCounts(rows[0]);
}

export interface LocationOverview {
  id: string;
  name: string | null;
  city: string;
  latitude: number;
  longitude: number;
  counts: EvseCounts;
}

/** A page of locations in id order, each with its counts: one statement (a lateral aggregate per location of the page). */
export async function listLocationOverview(db: Knex, q: { limit: number; offset: number }): Promise<LocationOverview[]> {
  const { rows } = await db.raw(
    `select l.id, l.name, l.city, l.latitude, l.longitude, k.*
       from (select id, name, city, latitude, longitude from locations order by id limit ? offset ?) l
       left join lateral (
         select ${COUNTS_SQL} from charge_points cp join connectors c on c.charge_point_id = cp.id
          where cp.location_id = l.id and c.connector_number >= 1) k on true
      order by l.id`,
    [q.limit, q.offset],
  );
  return (rows as Record<string, any>[]).map((r) => ({ id: r.id, name: r.name, city: r.city, latitude: Number(r.latitude), longitude: Number(r.longitude), counts: toCounts(r) }));
}
