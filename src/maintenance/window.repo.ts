import { toArrayLiteral } from '../db/array-literal.ts';
import type { Db } from '../db/knex.ts';
import { NotFound } from '../shared/errors.ts';
import type { MaintenanceWindow, NewWindow, WindowStatus } from './window.types.ts';

type Row = Record<string, any>;
const dateOrNull = (v: unknown): Date | null => (v ? new Date(v as string) : null);

const toWindow = (r: Row): MaintenanceWindow => ({
  id: r.id, chargePointId: r.charge_point_id, connectorId: r.connector_id ?? null, startsAt: new Date(r.starts_at), endsAt: new Date(r.ends_at), reason: r.reason ?? null,
  status: r.status, startedAt: dateOrNull(r.started_at), endedAt: dateOrNull(r.ended_at), startCommandStatus: r.start_command_status ?? null,
  endCommandStatus: r.end_command_status ?? null, createdBy: r.created_by, createdAt: new Date(r.created_at),
});

export async function insertWindow(db: Db, w: NewWindow & { createdBy: string }, at: Date): Promise<MaintenanceWindow> {
  const [row] = await db('maintenance_windows')
    .insert({ charge_point_id: w.chargePointId, connector_id: w.connectorId, starts_at: w.startsAt, ends_at: w.endsAt, reason: w.reason, status: 'SCHEDULED', created_by: w.createdBy, created_at: at })
    .returning('*');
  return toWindow(row);
}

export async function getWindow(db: Db, id: number): Promise<MaintenanceWindow> {
  const row = await db('maintenance_windows').where({ id }).first();
  if (!row) throw new NotFound(`maintenance window ${id} not found`);
  return toWindow(row);
}

/** Moves a window from status `from` to `to` with the fields given; undefined when it was not in `from` any more. */
export async function moveWindow(db: Db, id: number, from: WindowStatus, to: WindowStatus, fields: { startedAt?: Date; endedAt?: Date } = {}): Promise<MaintenanceWindow | undefined> {
  const patch: Row = { status: to };
  if (fields.startedAt) patch.started_at = fields.startedAt;
  if (fields.endedAt) patch.ended_at = fields.endedAt;
  const [row] = await db('maintenance_windows').where({ id, status: from }).update(patch).returning('*');
  return row ? toWindow(row) : undefined;
}

export async function updateWindowCommandStatus(db: Db, id: number, which: 'start' | 'end', status: string): Promise<void> {
  await db('maintenance_windows').where({ id }).update({ [`${which}_command_status`]: status });
}

/**
 * Windows to start (SCHEDULED, begun), to end (ACTIVE, over) or whose start command did not reach the
 * charger (ACTIVE, Offline or Failed: sent again) at `now`.
 */
export async function listDueWindows(db: Db, now: Date): Promise<MaintenanceWindow[]> {
  const rows = await db('maintenance_windows')
    .where((q) => q.where('status', 'SCHEDULED').where('starts_at', '<=', now))
    .orWhere((q) => q.where('status', 'ACTIVE').where('ends_at', '<=', now))
    .orWhere((q) => q.where('status', 'ACTIVE').whereIn('start_command_status', ['Offline', 'Failed']))
    .orderBy('id');
  return rows.map(toWindow);
}

export interface WindowFilter {
  chargePointId?: string;
  status?: WindowStatus;
  /** Windows that end after… */
  from?: Date;
  /** …and start before. */
  to?: Date;
  limit: number;
  offset: number;
}

/** Windows, latest start first. */
export async function listWindows(db: Db, f: WindowFilter): Promise<MaintenanceWindow[]> {
  const q = db('maintenance_windows').orderBy([{ column: 'starts_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(f.limit).offset(f.offset);
  if (f.chargePointId) q.where({ charge_point_id: f.chargePointId });
  if (f.status) q.where({ status: f.status });
  if (f.from) q.where('ends_at', '>', f.from);
  if (f.to) q.where('starts_at', '<', f.to);
  return (await q).map(toWindow);
}

/** The EVSEs of `evseFks` an ACTIVE window holds: one on the whole charger, or on a connector of the EVSE. */
export async function listEvsesUnderMaintenance(db: Db, evseFks: readonly number[]): Promise<Set<number>> {
  if (evseFks.length === 0) return new Set();
  const rows = await db('maintenance_windows as w')
    .join('connectors as c', 'c.charge_point_id', 'w.charge_point_id')
    .where('w.status', 'ACTIVE')
    .whereRaw('c.evse_fk = any(?::int[])', [toArrayLiteral(evseFks)])
    .andWhere((q) => q.whereNull('w.connector_id').orWhereRaw('w.connector_id = c.connector_number'))
    .distinct('c.evse_fk');
  return new Set(rows.map((r: { evse_fk: number }) => Number(r.evse_fk)));
}

/** Whether another ACTIVE window holds the charger (then its end does not make it Operative). */
export async function hasOtherActiveWindow(db: Db, chargePointId: string, exceptId: number): Promise<boolean> {
  return (await db('maintenance_windows').where({ charge_point_id: chargePointId, status: 'ACTIVE' }).whereNot({ id: exceptId }).first('id')) !== undefined;
}

/** The charger and connector of an EVSE (one EVSE per connector). */
export async function findConnectorOfEvse(db: Db, evseUid: string): Promise<{ chargePointId: string; connectorId: number } | undefined> {
  const row = await db('connectors as c').join('evses as e', 'e.id', 'c.evse_fk').where('e.uid', evseUid).whereNotNull('c.charge_point_id').first('c.charge_point_id', 'c.connector_number');
  return row ? { chargePointId: row.charge_point_id, connectorId: row.connector_number } : undefined;
}

