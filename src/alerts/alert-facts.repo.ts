// The facts the alert rules read (issue 9): one query per rule over the charger and session tables.
import type { Db } from '../db/knex.ts';
import type { FaultFact } from './alert-rules.ts';

/** Faults still open (StatusNotification error codes, Faulted, OFFLINE) with their connector's current status. */
export async function listOpenFaults(db: Db): Promise<FaultFact[]> {
  const rows = await db('faults as f')
    .leftJoin('connectors as c', (j) => j.on('c.charge_point_id', 'f.charge_point_id').andOn('c.connector_number', 'f.connector_number'))
    .whereNull('f.cleared_at')
    .select('f.charge_point_id', 'f.connector_number', 'f.kind', 'f.error_code', 'f.info', 'c.ocpp_status');
  return rows.map((r) => ({ chargePointId: r.charge_point_id, connectorNumber: r.connector_number, kind: r.kind, errorCode: r.error_code, info: r.info, connectorStatus: r.ocpp_status ?? null }));
}

/** Chargers that booted and are Rejected. */
export async function listRejectedBoots(db: Db): Promise<string[]> {
  return db('charge_points').where({ registration_status: 'Rejected' }).whereNotNull('last_boot_at').pluck('id');
}

/**
 * ACTIVE sessions whose newest meter value (by the charger's time; or their start) was received before `before`.
 * The newest reading is one step back along the (session, time) index; the latest receipt over all of a session's
 * readings read each of them, every minute for every session (on the embedded database 200 ms at 1,000 sessions
 * of a few hundred readings, and growing with every reading).
 */
export async function listSilentSessions(db: Db, before: Date): Promise<Array<{ sessionId: number; chargePointId: string; connectorNumber: number }>> {
  const rows = await db('sessions as s')
    .where('s.status', 'ACTIVE')
    .whereNull('s.stop_at')
    .whereRaw('greatest(s.start_at, (select m.received_at from meter_values m where m.session_fk = s.id order by m.timestamp desc limit 1)) < ?', [before])
    .select('s.id', 's.charge_point_id', 's.connector_number');
  return rows.map((r) => ({ sessionId: r.id, chargePointId: r.charge_point_id, connectorNumber: r.connector_number }));
}

/** Connectors whose status is one of `statuses` since before `before`. */
export async function listConnectorsStuckIn(db: Db, statuses: string[], before: Date): Promise<Array<{ chargePointId: string; connectorNumber: number; status: string }>> {
  const rows = await db('connectors').whereIn('ocpp_status', statuses).where('status_at', '<', before).whereNotNull('charge_point_id').select('charge_point_id', 'connector_number', 'ocpp_status');
  return rows.map((r) => ({ chargePointId: r.charge_point_id, connectorNumber: r.connector_number, status: r.ocpp_status }));
}

/** Connectors whose last `count` starts, all since `since`, were all refused (sessions INVALID). */
export async function listRepeatedFailedStarts(db: Db, count: number, since: Date): Promise<Array<{ chargePointId: string; connectorNumber: number }>> {
  const rows = await db
    .with('ranked', (q) =>
      q.from('sessions').where('start_at', '>=', since)
        .select('charge_point_id', 'connector_number', 'status', db.raw('row_number() over (partition by charge_point_id, connector_number order by start_at desc, id desc) as rn')))
    .from('ranked')
    .where('rn', '<=', count)
    .groupBy('charge_point_id', 'connector_number')
    .havingRaw('count(*) = ? and bool_and(status = ?)', [count, 'INVALID'])
    .select('charge_point_id', 'connector_number');
  return rows.map((r: any) => ({ chargePointId: r.charge_point_id, connectorNumber: r.connector_number }));
}

/** Sessions that ended without a CDR (cdr_status FAILED). */
export async function listSessionsWithoutCdr(db: Db): Promise<Array<{ sessionId: number; chargePointId: string; connectorNumber: number; error: string | null }>> {
  const rows = await db('sessions').where({ cdr_status: 'FAILED' }).select('id', 'charge_point_id', 'connector_number', 'cdr_error');
  return rows.map((r) => ({ sessionId: r.id, chargePointId: r.charge_point_id, connectorNumber: r.connector_number, error: r.cdr_error }));
}
