import type { Knex } from 'knex';
import { toArrayLiteral } from '../db/array-literal.ts';
import type { EventFilter, LiveEvent, NewLiveEvent } from './event.types.ts';

interface EventRow {
  id: string | number;
  type: LiveEvent['type'];
  charge_point_id: string | null;
  location_id: string | null;
  data: Record<string, unknown>;
  occurred_at: Date | string;
}

const toEvent = (r: EventRow): LiveEvent => ({
  id: Number(r.id),
  type: r.type,
  chargePointId: r.charge_point_id,
  locationId: r.location_id,
  occurredAt: new Date(r.occurred_at),
  data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data,
});

// Any constant key: every node's event inserts queue on it.
const EVENTS_LOCK_KEY = 0x0e7e47;

// The events of a batch as arrays (one parameter per column), inserted in the order given. The advisory lock is
// the first thing the statement evaluates: the join cannot yield a row before its one-row side took the lock,
// and the ids (the column's default) are drawn for the rows the join yields.
const INSERT_EVENTS = `insert into events (type, charge_point_id, location_id, data, occurred_at)
  select e.type, e.charge_point_id, e.location_id, e.data::jsonb, e.occurred_at
    from (select pg_advisory_xact_lock(?)) l,
         unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[]) with ordinality as e(type, charge_point_id, location_id, data, occurred_at, ord)
   order by e.ord
  returning id`;

/**
 * Stores events (in the order given) and returns their ids, in ONE statement (issue 8: it was a transaction of
 * four round trips, holding the embedded database's only connection for all four). The transaction advisory
 * lock, held until the statement's commit, makes inserts (on every node) take their ids and commit one after the
 * other: ids become visible in increasing order, so a reader that read up to id N (a node's fan-out, a client's
 * Last-Event-ID) never misses a smaller id committed later.
 */
export async function insertEvents(db: Knex, events: readonly NewLiveEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const { rows } = await db.raw(INSERT_EVENTS, [
    EVENTS_LOCK_KEY,
    toArrayLiteral(events.map((e) => e.type)),
    toArrayLiteral(events.map((e) => e.chargePointId)),
    toArrayLiteral(events.map((e) => e.locationId)),
    toArrayLiteral(events.map((e) => JSON.stringify(e.data))),
    toArrayLiteral(events.map((e) => e.occurredAt.toISOString())),
  ]);
  return rows.map((row: { id: string | number }) => Number(row.id)).sort((a: number, b: number) => a - b);
}

/** Events after `afterId` passing `filter`, oldest first, at most `limit`. */
export async function listEventsAfter(db: Knex, afterId: number, filter: EventFilter, limit: number): Promise<LiveEvent[]> {
  const q = db<EventRow>('events').where('id', '>', afterId).orderBy('id').limit(limit);
  if (filter.chargePointId !== undefined) q.where('charge_point_id', filter.chargePointId);
  if (filter.locationId !== undefined) q.where('location_id', filter.locationId);
  if (filter.types !== undefined) q.whereIn('type', filter.types);
  return (await q).map(toEvent);
}

/** The newest event id (0 when there is none). */
export async function maxEventId(db: Knex): Promise<number> {
  const row = await db('events').max('id as id').first();
  return Number(row?.id ?? 0);
}

/** Deletes the events that occurred before `cutoff` (retention); returns how many. */
export async function deleteEventsBefore(db: Knex, cutoff: Date): Promise<number> {
  return db('events').where('occurred_at', '<', cutoff).delete();
}

/** Where each of `chargePointIds` is (its location, null when it has none), in one statement; unknown ids are left out. */
export async function listChargerLocations(db: Knex, chargePointIds: readonly string[]): Promise<Map<string, string | null>> {
  if (chargePointIds.length === 0) return new Map();
  const rows: Array<{ id: string; location_id: string | null }> = await db('charge_points').whereRaw('id = any(?::text[])', [toArrayLiteral(chargePointIds)]).select('id', 'location_id');
  return new Map(rows.map((r) => [r.id, r.location_id]));
}

/** A session as its events carry it: charger, connector, energy (kWh) and the last reported power (W). */
export interface SessionFigures {
  sessionId: number;
  uid: string;
  chargePointId: string;
  connectorId: number;
  locationId: string | null;
  evseUid: string | null;
  status: string;
  kWh: number;
  powerW: number | null;
  startAt: Date;
  stopAt: Date | null;
}

/** The figures of many sessions in one statement (the live events of a whole MeterValues batch). */
export async function listSessionFigures(db: Knex, sessionIds: readonly number[]): Promise<SessionFigures[]> {
  if (sessionIds.length === 0) return [];
  const { rows } = await db.raw(
    `select s.id, s.uid, s.charge_point_id, s.connector_number, s.location_id, s.evse_uid, s.status, s.energy_wh, s.start_at, s.stop_at, p.power_w
       from sessions s left join lateral (${LAST_POWER_SQL}) p on true
      where s.id = any(?::int[])`,
    [toArrayLiteral(sessionIds)],
  );
  return rows.map((r: Record<string, any>) => ({
    sessionId: r.id, uid: r.uid, chargePointId: r.charge_point_id, connectorId: r.connector_number, locationId: r.location_id, evseUid: r.evse_uid, status: r.status,
    kWh: Number(r.energy_wh) / 1000, powerW: r.power_w === null ? null : Number(r.power_w), startAt: new Date(r.start_at), stopAt: r.stop_at ? new Date(r.stop_at) : null,
  }));
}

/**
 * The last Power.Active.Import of session `s` in W (OCPP 1.6 §7.31 Measurand; kW converted): the total
 * (no phase) at the newest sample time, else the sum of its phases. Used as a lateral subquery.
 */
export const LAST_POWER_SQL = `
  select coalesce(sum(x.w) filter (where x.phase is null), sum(x.w)) as power_w from (
    select mv.phase, case when lower(mv.unit) = 'kw' then mv.numeric_value * 1000 else mv.numeric_value end as w
      from meter_values mv
     where mv.session_fk = s.id and mv.measurand = 'Power.Active.Import'
       and mv.timestamp = (select max(m2.timestamp) from meter_values m2 where m2.session_fk = s.id and m2.measurand = 'Power.Active.Import')
  ) x`;
