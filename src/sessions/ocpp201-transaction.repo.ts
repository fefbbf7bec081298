import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';

/** An OCPP 2.0.1 transaction of a station, and the session it maps onto (undefined before its idToken came). */
export interface Ocpp201Transaction {
  sessionFk: number | null;
  lastSeqNo: number;
}

export async function findTransaction(db: Db, chargePointId: string, transactionId: string): Promise<Ocpp201Transaction | undefined> {
  const row = await db('ocpp201_transactions').where({ charge_point_id: chargePointId, transaction_id: transactionId }).first('session_fk', 'last_seq_no');
  return row ? { sessionFk: row.session_fk, lastSeqNo: row.last_seq_no } : undefined;
}

/** Records the transaction's session and highest seqNo seen (a session once bound is kept). */
export async function upsertTransaction(db: Db, chargePointId: string, transactionId: string, t: Ocpp201Transaction): Promise<void> {
  await db('ocpp201_transactions')
    .insert({ charge_point_id: chargePointId, transaction_id: transactionId, session_fk: t.sessionFk, last_seq_no: t.lastSeqNo })
    .onConflict(['charge_point_id', 'transaction_id'])
    .merge({ session_fk: db.raw('coalesce(ocpp201_transactions.session_fk, excluded.session_fk)'), last_seq_no: db.raw('greatest(ocpp201_transactions.last_seq_no, excluded.last_seq_no)') });
}

/** The station's transactionId of session `sessionFk` of `chargePointId`, or undefined. */
export async function findTransactionIdOfSession(db: Db, chargePointId: string, sessionFk: number): Promise<string | undefined> {
  const row = await db('ocpp201_transactions').where({ charge_point_id: chargePointId, session_fk: sessionFk }).first('transaction_id');
  return row?.transaction_id;
}

/** ACTIVE sessions that are OCPP 2.0.1 transactions of a station connected with 2.0.1 now. */
export async function listRunningTransactionsOfConnected(db: Db): Promise<Array<{ chargePointId: string; transactionId: string; sessionFk: number }>> {
  const rows = await db('ocpp201_transactions as t')
    .join('sessions as s', 's.id', 't.session_fk')
    .join('charge_points as cp', 'cp.id', 't.charge_point_id')
    .where({ 's.status': 'ACTIVE', 'cp.is_connected': true, 'cp.protocol': 'ocpp2.0.1' })
    .orderBy('s.id')
    .select('t.charge_point_id', 't.transaction_id', 't.session_fk');
  return rows.map((r) => ({ chargePointId: r.charge_point_id, transactionId: r.transaction_id, sessionFk: r.session_fk }));
}

/** Records the idToken a RequestStartTransaction with `remoteStartId` named (F01); a repeated id replaces it. */
export async function upsertRemoteStart(db: Db, chargePointId: string, r: { remoteStartId: number; idTag: string }): Promise<void> {
  await db('ocpp201_remote_starts')
    .insert({ charge_point_id: chargePointId, remote_start_id: r.remoteStartId, id_tag: r.idTag, requested_at: dbNow(db) })
    .onConflict(['charge_point_id', 'remote_start_id'])
    .merge(['id_tag', 'requested_at']);
}

/** The idToken of the station's RequestStartTransaction `remoteStartId`, or undefined. */
export async function findRemoteStartIdTag(db: Db, chargePointId: string, remoteStartId: number): Promise<string | undefined> {
  const row = await db('ocpp201_remote_starts').where({ charge_point_id: chargePointId, remote_start_id: remoteStartId }).first('id_tag');
  return row?.id_tag;
}
