// What the load manager reads of the live state (the active sessions at the chargers of load groups, their
// latest per-phase current) and the allocation it sent per session (load_allocations).
import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import type { AppliedAllocation, LoadSession, PhaseRotation } from './load.types.ts';
import { INDEX_OF_PHASE } from './allocation-input.ts';

type Row = Record<string, any>;

const json = (v: unknown): any => (typeof v === 'string' ? JSON.parse(v) : v);


export type LoadSessionRow = LoadSession & { isConnected: boolean };

/** The active sessions at chargers attached to a load group, with the driver's priority and the eMSP's profile. */
export async function listLoadSessions(db: Db): Promise<LoadSessionRow[]> {
  const rows: Row[] = await db('sessions as s')
    .join('load_group_chargers as m', 'm.charge_point_id', 's.charge_point_id')
    .join('charge_points as cp', 'cp.id', 's.charge_point_id')
    .leftJoin('connectors as c', 'c.id', 's.connector_fk')
    .where('s.status', 'ACTIVE')
    .whereNull('s.stop_at')
    .select('s.id', 's.charge_point_id', 's.connector_number', 'm.load_group_fk', 's.start_at', 's.energy_wh', 'c.max_amperage', 'c.power_type', 'm.max_current_a', 'm.phase_rotation', 's.charging_preferences', 'cp.is_connected')
    .select(db.raw(`(select coalesce(max(g.priority), 0) from id_tokens t join driver_group_members dm on dm.driver_fk = t.driver_fk
      join driver_groups g on g.id = dm.group_fk where t.id = s.token_fk) as priority`))
    .select(db.raw('(select p.profile from ocpi_charging_profiles p where p.session_fk = s.id limit 1) as emsp_profile'))
    .orderBy('s.id');
  const measured = await latestCurrents(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    sessionId: r.id,
    chargePointId: r.charge_point_id,
    connectorNumber: r.connector_number,
    groupId: r.load_group_fk,
    startedAt: new Date(r.start_at),
    energyWh: Number(r.energy_wh),
    connectorMaxA: r.max_amperage === null || r.max_amperage === undefined ? null : Number(r.max_amperage),
    powerType: r.power_type ?? null,
    membershipMaxA: r.max_current_a === null ? null : Number(r.max_current_a),
    phaseRotation: r.phase_rotation as PhaseRotation | null,
    priority: Number(r.priority),
    preferences: r.charging_preferences === null ? null : json(r.charging_preferences),
    emspProfile: r.emsp_profile === null ? null : json(r.emsp_profile),
    measured: measured.get(r.id) ?? null,
    isConnected: Boolean(r.is_connected),
  }));
}

/** The newest per-phase Current.Import reading of each session (the readings of its latest timestamp). */
async function latestCurrents(db: Db, sessionIds: number[]): Promise<Map<number, { at: Date; currentsA: [number, number, number] }>> {
  const found = new Map<number, { at: Date; currentsA: [number, number, number] }>();
  if (sessionIds.length === 0) return found;
  // Through the sample key index (charger, connector, timestamp, measurand): the newest three readings.
  const { rows } = await db.raw(
    `select s.id as session_fk, mv.phase, mv.numeric_value, mv.timestamp from sessions s cross join lateral (
       select v.phase, v.numeric_value, v.timestamp from meter_values v
       where v.charge_point_id = s.charge_point_id and v.connector_number = s.connector_number and v.timestamp >= s.start_at
         and v.measurand = 'Current.Import' and v.session_fk = s.id and v.phase is not null and v.numeric_value is not null
       order by v.timestamp desc limit 3) mv
     where s.id = any(?)`,
    [sessionIds],
  );
  for (const r of rows as Row[]) {
    const at = new Date(r.timestamp);
    const index = INDEX_OF_PHASE[r.phase];
    if (index === undefined) continue;
    const entry = found.get(r.session_fk);
    if (entry && entry.at.getTime() > at.getTime()) continue;
    const current = entry && entry.at.getTime() === at.getTime() ? entry : { at, currentsA: [0, 0, 0] as [number, number, number] };
    current.currentsA[index] = Number(r.numeric_value);
    found.set(r.session_fk, current);
  }
  return found;
}

const toApplied = (r: Row): AppliedAllocation => ({
  sessionId: r.session_fk,
  chargePointId: r.charge_point_id,
  connectorNumber: r.connector_number,
  limitA: Number(r.limit_a),
  periods: json(r.periods),
  phases: Number(r.phases),
  status: r.status,
  uncontrolled: r.uncontrolled,
  sentAt: r.sent_at,
});

/** The allocations of the sessions still active. */
export async function listApplied(db: Db): Promise<AppliedAllocation[]> {
  const rows = await db('load_allocations as a').join('sessions as s', 's.id', 'a.session_fk').where('s.status', 'ACTIVE').whereNull('s.stop_at').select('a.*');
  return rows.map(toApplied);
}

export async function upsertApplied(db: Db, a: Omit<AppliedAllocation, 'sentAt'>): Promise<void> {
  const row = { session_fk: a.sessionId, charge_point_id: a.chargePointId, connector_number: a.connectorNumber, limit_a: a.limitA, periods: JSON.stringify(a.periods), phases: a.phases, status: a.status, uncontrolled: a.uncontrolled, sent_at: dbNow(db) };
  await db('load_allocations').insert(row).onConflict('session_fk').merge();
}

/** Forgets what a charger was sent (it reconnected, or left its group): its sessions get their limits again. */
export async function deleteAppliedOfCharger(db: Db, chargePointId: string): Promise<number> {
  return (await db('load_allocations').where({ charge_point_id: chargePointId }).delete().returning('session_fk')).length;
}

/** Which of the given chargers have a socket open (to any node). */
export async function listConnectedChargers(db: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  return (await db('charge_points').whereIn('id', ids).where({ is_connected: true }).select('id')).map((r: Row) => r.id);
}
