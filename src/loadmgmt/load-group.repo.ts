// The capacity tree (load_groups) and the chargers attached to its nodes (load_group_chargers).
import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import { translatePg } from '../db/pg-errors.ts';
import { NotFound } from '../shared/errors.ts';
import type { PhaseAmps } from './allocation.types.ts';
import { priceCurveWire } from './price-curve-input.ts';
import type { PriceCurve } from './price-curve.ts';
import type { ChargerMembership, LoadGroup, LoadGroupPatch, LoadGroupPeriod, NewLoadGroup, PhaseRotation } from './load.types.ts';

type Row = Record<string, any>;

const json = (v: unknown): any => (typeof v === 'string' ? JSON.parse(v) : v);

const toGroup = (r: Row): LoadGroup => ({
  id: r.id,
  name: r.name,
  parentId: r.parent_id,
  maxCurrentA: Number(r.max_current_a),
  phases: Number(r.phases) as 1 | 3,
  marginA: Number(r.margin_a),
  maxPowerKw: r.max_power_kw === null || r.max_power_kw === undefined ? null : Number(r.max_power_kw),
  voltage: r.voltage === null || r.voltage === undefined ? null : Number(r.voltage),
  schedule: (json(r.schedule) as Array<{ startsAt: string; maxCurrentA?: number; maxPowerKw?: number }>).map((p) => ({ ...p, startsAt: new Date(p.startsAt) })),
  unmanagedA: r.unmanaged_a === null ? null : json(r.unmanaged_a),
  unmanagedSource: r.unmanaged_source,
  unmanagedAt: r.unmanaged_at,
  priceCurve: r.price_curve === null || r.price_curve === undefined ? null : json(r.price_curve),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toMembership = (r: Row): ChargerMembership => ({
  chargePointId: r.charge_point_id,
  groupId: r.load_group_fk,
  phaseRotation: r.phase_rotation,
  phaseRotationSource: r.phase_rotation_source,
  maxCurrentA: r.max_current_a === null ? null : Number(r.max_current_a),
  createdAt: r.created_at,
});

const scheduleJson = (s: LoadGroupPeriod[]): string => JSON.stringify(s.map((p) => ({ ...p, startsAt: p.startsAt.toISOString() })));

function groupColumns(g: LoadGroupPatch): Row {
  const row: Row = {};
  if (g.name !== undefined) row.name = g.name;
  if (g.parentId !== undefined) row.parent_id = g.parentId;
  if (g.maxCurrentA !== undefined) row.max_current_a = g.maxCurrentA;
  if (g.phases !== undefined) row.phases = g.phases;
  if (g.marginA !== undefined) row.margin_a = g.marginA;
  if (g.maxPowerKw !== undefined) row.max_power_kw = g.maxPowerKw;
  if (g.voltage !== undefined) row.voltage = g.voltage;
  if (g.schedule !== undefined) row.schedule = scheduleJson(g.schedule);
  return row;
}

export async function insertGroup(db: Db, g: NewLoadGroup): Promise<LoadGroup> {
  const now = dbNow(db);
  const [row] = await translatePg(`load group ${g.name}`, () => db('load_groups').insert({ ...groupColumns(g), created_at: now, updated_at: now }).returning('*'));
  return toGroup(row);
}

export async function getGroup(db: Db, id: number): Promise<LoadGroup> {
  const row = await db('load_groups').where({ id }).first();
  if (!row) throw new NotFound(`load group ${id} not found`);
  return toGroup(row);
}

export async function listGroups(db: Db, page?: { limit: number; offset: number; parentId?: number | null }): Promise<LoadGroup[]> {
  const q = db('load_groups').orderBy('id');
  if (page) q.limit(page.limit).offset(page.offset);
  if (page?.parentId !== undefined) q.where('parent_id', page.parentId);
  return (await q).map(toGroup);
}

export async function updateGroup(db: Db, id: number, patch: LoadGroupPatch): Promise<LoadGroup> {
  const [row] = await translatePg(`load group ${id}`, () => db('load_groups').where({ id }).update({ ...groupColumns(patch), updated_at: dbNow(db) }).returning('*'));
  if (!row) throw new NotFound(`load group ${id} not found`);
  return toGroup(row);
}

export async function updateUnmanaged(db: Db, id: number, u: { amps: PhaseAmps | null; source: 'fixed' | 'measured' | null }): Promise<LoadGroup> {
  const now = dbNow(db);
  const [row] = await db('load_groups').where({ id }).update({ unmanaged_a: u.amps === null ? null : JSON.stringify(u.amps), unmanaged_source: u.source, unmanaged_at: u.amps === null ? null : now, updated_at: now }).returning('*');
  if (!row) throw new NotFound(`load group ${id} not found`);
  return toGroup(row);
}

export async function updatePriceCurve(db: Db, id: number, curve: PriceCurve | null): Promise<LoadGroup> {
  const [row] = await db('load_groups').where({ id }).update({ price_curve: curve === null ? null : JSON.stringify(priceCurveWire(curve)), updated_at: dbNow(db) }).returning('*');
  if (!row) throw new NotFound(`load group ${id} not found`);
  return toGroup(row);
}

export async function countChildren(db: Db, id: number): Promise<number> {
  const [row] = await db('load_groups').where({ parent_id: id }).count({ n: '*' });
  return Number(row.n);
}

export async function deleteGroup(db: Db, id: number): Promise<number> {
  return (await db('load_groups').where({ id }).delete().returning('id')).length;
}

export async function chargePointExists(db: Db, id: string): Promise<boolean> {
  return (await db('charge_points').where({ id }).first('id')) !== undefined;
}

/** Attaches a charger to a group (moving it from another one); an operator's rotation is kept over a charger's. */
export async function upsertMembership(db: Db, m: { chargePointId: string; groupId: number; phaseRotation?: PhaseRotation; maxCurrentA?: number | null }): Promise<ChargerMembership> {
  const row: Row = { charge_point_id: m.chargePointId, load_group_fk: m.groupId, created_at: dbNow(db) };
  const merge: string[] = ['load_group_fk'];
  if (m.phaseRotation !== undefined) {
    Object.assign(row, { phase_rotation: m.phaseRotation, phase_rotation_source: 'operator' });
    merge.push('phase_rotation', 'phase_rotation_source');
  }
  if (m.maxCurrentA !== undefined) {
    row.max_current_a = m.maxCurrentA;
    merge.push('max_current_a');
  }
  const [stored] = await db('load_group_chargers').insert(row).onConflict('charge_point_id').merge(merge).returning('*');
  return toMembership(stored);
}

export async function deleteMembership(db: Db, groupId: number, chargePointId: string): Promise<number> {
  return (await db('load_group_chargers').where({ load_group_fk: groupId, charge_point_id: chargePointId }).delete().returning('charge_point_id')).length;
}

export async function findMembership(db: Db, chargePointId: string): Promise<ChargerMembership | undefined> {
  const row = await db('load_group_chargers').where({ charge_point_id: chargePointId }).first();
  return row ? toMembership(row) : undefined;
}

export async function listMemberships(db: Db, groupId?: number): Promise<ChargerMembership[]> {
  const q = db('load_group_chargers').orderBy('charge_point_id');
  if (groupId !== undefined) q.where({ load_group_fk: groupId });
  return (await q).map(toMembership);
}

/** The rotation a charger reported (ConnectorPhaseRotation), unless the operator set one. */
export async function updateRotationFromCharger(db: Db, chargePointId: string, rotation: PhaseRotation): Promise<number> {
  const rows = await db('load_group_chargers')
    .where({ charge_point_id: chargePointId })
    .where((q) => q.whereNull('phase_rotation_source').orWhere('phase_rotation_source', 'charger'))
    .update({ phase_rotation: rotation, phase_rotation_source: 'charger' })
    .returning('charge_point_id');
  return rows.length;
}
