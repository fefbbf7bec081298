import type { Db } from '../db/knex.ts';
import { NotFound } from '../shared/errors.ts';
import type { LogRequest } from './log-request.types.ts';

type Row = Record<string, any>;

const COLUMNS = ['id', 'charge_point_id', 'log_type', 'oldest_timestamp', 'latest_timestamp', 'status', 'file_name', 'last_error', 'size_bytes', 'uploaded_at', 'created_by', 'created_at', 'updated_at'];
const dateOrNull = (v: unknown): Date | null => (v ? new Date(v as string) : null);

const toRequest = (r: Row): LogRequest => ({
  id: r.id, chargePointId: r.charge_point_id, logType: r.log_type, oldestTimestamp: dateOrNull(r.oldest_timestamp), latestTimestamp: dateOrNull(r.latest_timestamp),
  status: r.status, fileName: r.file_name ?? null, lastError: r.last_error ?? null, sizeBytes: r.size_bytes ?? null, uploadedAt: dateOrNull(r.uploaded_at),
  createdBy: r.created_by, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at),
});

export interface NewLogRequest {
  chargePointId: string;
  logType: string;
  oldestTimestamp: Date | null;
  latestTimestamp: Date | null;
  uploadTokenHash: string;
  createdBy: string;
}

export async function insertLogRequest(db: Db, n: NewLogRequest, at: Date): Promise<LogRequest> {
  const [row] = await db('log_requests')
    .insert({ charge_point_id: n.chargePointId, log_type: n.logType, oldest_timestamp: n.oldestTimestamp, latest_timestamp: n.latestTimestamp, status: 'CREATED', upload_token_hash: n.uploadTokenHash, created_by: n.createdBy, created_at: at, updated_at: at })
    .returning(COLUMNS);
  return toRequest(row);
}

/**
 * Records the GetLog answer. The status only while still CREATED: a LogStatusNotification the charger sent
 * right after its answer may have been recorded first, and is the newer news.
 */
export async function recordLogAnswer(db: Db, id: number, u: { status: string; fileName: string | null; lastError: string | null }, at: Date): Promise<LogRequest> {
  const status = db.raw("case when status = 'CREATED' then ? else status end", [u.status]);
  const [row] = await db('log_requests').where({ id }).update({ status, file_name: db.raw('coalesce(file_name, ?)', [u.fileName]), last_error: u.lastError, updated_at: at }).returning(COLUMNS);
  return toRequest(row);
}

/** Records a LogStatusNotification on the charger's request of that requestId; false when it is not one of the charger's. */
export async function updateLogStatus(db: Db, chargePointId: string, id: number, status: string, at: Date): Promise<boolean> {
  return (await db('log_requests').where({ id, charge_point_id: chargePointId }).update({ status, updated_at: at })) > 0;
}

/** Whether `id` is one of the charger's GetLog requests. */
export async function isLogRequestOf(db: Db, chargePointId: string, id: number): Promise<boolean> {
  return Number.isInteger(id) && id <= 2147483647 && (await db('log_requests').where({ id, charge_point_id: chargePointId }).first('id')) !== undefined;
}

/** The token hash and whether a file came already: what an upload is checked against. */
export async function findUploadGate(db: Db, id: number): Promise<{ tokenHash: string; isUploaded: boolean } | undefined> {
  const row = await db('log_requests').where({ id }).first('upload_token_hash', 'uploaded_at');
  return row ? { tokenHash: row.upload_token_hash, isUploaded: row.uploaded_at !== null } : undefined;
}

/** Stores the uploaded file once: false when one was stored already (the token is single-use). */
export async function storeUpload(db: Db, id: number, f: { content: Buffer; fileName: string | null }, at: Date): Promise<boolean> {
  const fileName = f.fileName === null ? {} : { file_name: f.fileName };
  return (await db('log_requests').where({ id }).whereNull('uploaded_at').update({ content: f.content, size_bytes: f.content.length, uploaded_at: at, updated_at: at, ...fileName })) > 0;
}

export async function getLogRequest(db: Db, id: number): Promise<LogRequest> {
  const row = await db('log_requests').where({ id }).first(COLUMNS);
  if (!row) throw new NotFound(`log request ${id} not found`);
  return toRequest(row);
}

export async function findLogContent(db: Db, id: number): Promise<Buffer | undefined> {
  const row = await db('log_requests').where({ id }).whereNotNull('uploaded_at').first('content');
  return row ? Buffer.from(row.content) : undefined;
}

export async function listLogRequests(db: Db, f: { chargePointId?: string; limit: number; offset: number }): Promise<LogRequest[]> {
  const q = db('log_requests').orderBy('id', 'desc').limit(f.limit).offset(f.offset).select(COLUMNS);
  if (f.chargePointId) q.where({ charge_point_id: f.chargePointId });
  return (await q).map(toRequest);
}
