import type { Db } from '../db/knex.ts';
import type { Alert, NewAlert } from './alert.types.ts';

type Row = Record<string, any>;

const toAlert = (r: Row): Alert => ({
  id: Number(r.id),
  kind: r.kind,
  severity: r.severity,
  chargePointId: r.charge_point_id,
  connectorId: r.connector_id,
  sessionId: r.session_id,
  message: r.message,
  openedAt: new Date(r.opened_at),
  closedAt: r.closed_at === null ? null : new Date(r.closed_at),
});

/** Opens the alert unless one of that kind is open for the session already (then undefined). */
export async function insertAlertOnce(db: Db, a: NewAlert, at: Date): Promise<Alert | undefined> {
  const [row] = await db('alerts')
    .insert({ kind: a.kind, severity: a.severity, charge_point_id: a.chargePointId ?? null, connector_id: a.connectorId ?? null, session_id: a.sessionId ?? null, message: a.message, opened_at: at })
    .onConflict(db.raw('(session_id, kind) where closed_at is null and session_id is not null'))
    .ignore()
    .returning('*');
  return row ? toAlert(row) : undefined;
}

/** Closes the open alerts about sessions that are no longer ACTIVE; returns how many. */
export async function closeAlertsOfEndedSessions(db: Db, at: Date): Promise<number> {
  return db('alerts')
    .whereNull('closed_at')
    .whereNotNull('session_id')
    .whereNotExists((q) => q.select(db.raw('1')).from('sessions as s').whereRaw('s.id = alerts.session_id').where('s.status', 'ACTIVE'))
    .update({ closed_at: at });
}

export interface AlertFilter {
  status?: 'open' | 'closed';
  chargePointId?: string;
  limit: number;
  offset: number;
}

/** Alerts, newest first. */
export async function listAlerts(db: Db, f: AlertFilter): Promise<Alert[]> {
  const q = db('alerts').orderBy([{ column: 'opened_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(f.limit).offset(f.offset);
  if (f.status === 'open') q.whereNull('closed_at');
  if (f.status === 'closed') q.whereNotNull('closed_at');
  if (f.chargePointId) q.where({ charge_point_id: f.chargePointId });
  return (await q).map(toAlert);
}
