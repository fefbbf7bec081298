import type { Db } from '../db/knex.ts';
import { NotFound } from '../shared/errors.ts';
import type { Alert, NewAlert } from './alert.types.ts';

type Row = Record<string, any>;

const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

const toAlert = (r: Row): Alert => ({
  id: Number(r.id),
  kind: r.kind,
  severity: r.severity,
  subject: r.subject ?? null,
  chargePointId: r.charge_point_id,
  connectorId: r.connector_id,
  sessionId: r.session_id,
  message: r.message,
  openedAt: new Date(r.opened_at),
  closedAt: dateOrNull(r.closed_at),
  acknowledgedAt: dateOrNull(r.acknowledged_at),
  acknowledgedBy: r.acknowledged_by ?? null,
  ackNote: r.ack_note ?? null,
});

/** Opens the alert unless one of that kind is open for its subject already (then undefined). */
export async function insertAlertOnce(db: Db, a: NewAlert & { subject: string }, at: Date): Promise<Alert | undefined> {
  const [row] = await db('alerts')
    .insert({ kind: a.kind, severity: a.severity, subject: a.subject, charge_point_id: a.chargePointId ?? null, connector_id: a.connectorId ?? null, session_id: a.sessionId ?? null, message: a.message, opened_at: at })
    .onConflict(db.raw('(kind, subject) where closed_at is null and subject is not null'))
    .ignore()
    .returning('*');
  return row ? toAlert(row) : undefined;
}

/** Closes the open alerts about sessions that are no longer ACTIVE; returns them. */
export async function closeAlertsOfEndedSessions(db: Db, at: Date, kindPrefix: string): Promise<Alert[]> {
  const rows = await db('alerts')
    .whereNull('closed_at')
    .whereNotNull('session_id')
    .where('kind', 'like', `${kindPrefix}%`)
    .whereNotExists((q) => q.select(db.raw('1')).from('sessions as s').whereRaw('s.id = alerts.session_id').where('s.status', 'ACTIVE'))
    .update({ closed_at: at })
    .returning('*');
  return rows.map(toAlert);
}

/** The open alerts of one kind. */
export async function listOpenAlertsOfKind(db: Db, kind: string): Promise<Alert[]> {
  return (await db('alerts').whereNull('closed_at').where({ kind })).map(toAlert);
}

/** Closes the alerts given (those still open); returns them. */
export async function closeAlerts(db: Db, ids: number[], at: Date): Promise<Alert[]> {
  if (ids.length === 0) return [];
  return (await db('alerts').whereIn('id', ids).whereNull('closed_at').update({ closed_at: at }).returning('*')).map(toAlert);
}

/** Acknowledges the alert unless it was already; undefined then (or when it does not exist). */
export async function updateAlertAck(db: Db, id: number, ack: { by: string; note: string | null; at: Date }): Promise<Alert | undefined> {
  const [row] = await db('alerts').where({ id }).whereNull('acknowledged_at').update({ acknowledged_at: ack.at, acknowledged_by: ack.by, ack_note: ack.note }).returning('*');
  return row ? toAlert(row) : undefined;
}

export async function getAlert(db: Db, id: number): Promise<Alert> {
  const row = await db('alerts').where({ id }).first();
  if (!row) throw new NotFound(`alert ${id} not found`);
  return toAlert(row);
}

export interface AlertFilter {
  status?: 'open' | 'closed';
  chargePointId?: string;
  kind?: string;
  severity?: string;
  acknowledged?: boolean;
  limit: number;
  offset: number;
}

/** Alerts, newest first. */
export async function listAlerts(db: Db, f: AlertFilter): Promise<Alert[]> {
  const q = db('alerts').orderBy([{ column: 'opened_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(f.limit).offset(f.offset);
  if (f.status === 'open') q.whereNull('closed_at');
  if (f.status === 'closed') q.whereNotNull('closed_at');
  if (f.chargePointId) q.where({ charge_point_id: f.chargePointId });
  if (f.kind) q.where({ kind: f.kind });
  if (f.severity) q.where({ severity: f.severity });
  if (f.acknowledged === true) q.whereNotNull('acknowledged_at');
  if (f.acknowledged === false) q.whereNull('acknowledged_at');
  return (await q).map(toAlert);
}
