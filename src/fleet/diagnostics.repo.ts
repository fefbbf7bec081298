import type { Db } from '../db/knex.ts';
import { NotFound } from '../shared/errors.ts';

type Row = Record<string, any>;

/** A GetDiagnostics request (issue 9) and what became of it. */
export interface DiagnosticsRequest {
  id: number;
  chargePointId: string;
  location: string;
  startTime: Date | null;
  stopTime: Date | null;
  /** REQUESTED (the charger names a file), NO_DIAGNOSTICS (it has none), Offline / Failed (not sent), or the last DiagnosticsStatusNotification status. */
  status: string;
  fileName: string | null;
  lastError: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const toRequest = (r: Row): DiagnosticsRequest => ({
  id: r.id, chargePointId: r.charge_point_id, location: r.location, startTime: r.start_time ? new Date(r.start_time) : null, stopTime: r.stop_time ? new Date(r.stop_time) : null,
  status: r.status, fileName: r.file_name ?? null, lastError: r.last_error ?? null, createdBy: r.created_by, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at),
});

export async function insertDiagnosticsRequest(db: Db, d: { chargePointId: string; location: string; startTime: Date | null; stopTime: Date | null; status: string; fileName: string | null; lastError: string | null; createdBy: string }, at: Date): Promise<DiagnosticsRequest> {
  const [row] = await db('diagnostics_requests')
    .insert({ charge_point_id: d.chargePointId, location: d.location, start_time: d.startTime, stop_time: d.stopTime, status: d.status, file_name: d.fileName, last_error: d.lastError, created_by: d.createdBy, created_at: at, updated_at: at })
    .returning('*');
  return toRequest(row);
}

/** Records a DiagnosticsStatusNotification on the charger's latest request it answered; false when there is none. */
export async function updateLatestRequested(db: Db, chargePointId: string, status: string, at: Date): Promise<boolean> {
  const latest = db('diagnostics_requests').where({ charge_point_id: chargePointId }).whereNotIn('status', ['Offline', 'Failed', 'NO_DIAGNOSTICS']).orderBy('id', 'desc').limit(1).select('id');
  return (await db('diagnostics_requests').where('id', '=', latest).update({ status, updated_at: at })) > 0;
}

export async function getDiagnosticsRequest(db: Db, id: number): Promise<DiagnosticsRequest> {
  const row = await db('diagnostics_requests').where({ id }).first();
  if (!row) throw new NotFound(`diagnostics request ${id} not found`);
  return toRequest(row);
}

export async function listDiagnosticsRequests(db: Db, f: { chargePointId?: string; limit: number; offset: number }): Promise<DiagnosticsRequest[]> {
  const q = db('diagnostics_requests').orderBy('id', 'desc').limit(f.limit).offset(f.offset);
  if (f.chargePointId) q.where({ charge_point_id: f.chargePointId });
  return (await q).map(toRequest);
}

