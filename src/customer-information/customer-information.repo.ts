import type { Db } from '../db/knex.ts';
import { NotFound } from '../shared/errors.ts';
import type { CustomerInformationPart, CustomerInformationRequest, CustomerRef } from './customer-information.types.ts';

type Row = Record<string, any>;

const COLUMNS = ['id', 'charge_point_id', 'report', 'clear', 'customer', 'status', 'last_error', 'created_by', 'created_at', 'updated_at'];

const toRequest = (r: Row): CustomerInformationRequest => ({
  id: r.id, chargePointId: r.charge_point_id, report: r.report, clear: r.clear, customer: typeof r.customer === 'string' ? JSON.parse(r.customer) : r.customer,
  status: r.status, lastError: r.last_error ?? null, createdBy: r.created_by, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at),
});

export interface NewCustomerInformationRequest {
  chargePointId: string;
  report: boolean;
  clear: boolean;
  customer: CustomerRef;
  createdBy: string;
}

export async function insertRequest(db: Db, n: NewCustomerInformationRequest, at: Date): Promise<CustomerInformationRequest> {
  const [row] = await db('customer_information_requests')
    .insert({ charge_point_id: n.chargePointId, report: n.report, clear: n.clear, customer: JSON.stringify(n.customer), status: 'CREATED', created_by: n.createdBy, created_at: at, updated_at: at })
    .returning(COLUMNS);
  return toRequest(row);
}

export async function recordAnswer(db: Db, id: number, u: { status: string; lastError: string | null }, at: Date): Promise<CustomerInformationRequest> {
  const [row] = await db('customer_information_requests').where({ id }).update({ status: u.status, last_error: u.lastError, updated_at: at }).returning(COLUMNS);
  return toRequest(row);
}

export async function getRequest(db: Db, chargePointId: string, id: number): Promise<CustomerInformationRequest> {
  const row = await db('customer_information_requests').where({ id, charge_point_id: chargePointId }).first(COLUMNS);
  if (!row) throw new NotFound(`customer information request ${id} of charger ${chargePointId} not found`);
  return toRequest(row);
}

/** Whether `id` is one of the charger's requests (a station's requestId is any integer). */
export async function isRequestOf(db: Db, chargePointId: string, id: number): Promise<boolean> {
  return Number.isInteger(id) && id > 0 && id <= 2147483647 && (await db('customer_information_requests').where({ id, charge_point_id: chargePointId }).first('id')) !== undefined;
}

/** Stores a part; a repeated seqNo (the station's retry) keeps the first. */
export async function insertPart(db: Db, requestId: number, p: CustomerInformationPart, at: Date): Promise<void> {
  await db('customer_information_parts')
    .insert({ request_id: requestId, seq_no: p.seqNo, data: p.data, tbc: p.tbc, generated_at: p.generatedAt, received_at: at })
    .onConflict(['request_id', 'seq_no']).ignore();
}

export async function listParts(db: Db, requestId: number): Promise<CustomerInformationPart[]> {
  const rows = await db('customer_information_parts').where({ request_id: requestId }).orderBy('seq_no').select('seq_no', 'data', 'tbc', 'generated_at');
  return rows.map((r: Row) => ({ seqNo: r.seq_no, data: r.data, tbc: r.tbc, generatedAt: new Date(r.generated_at) }));
}
