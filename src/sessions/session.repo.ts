import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import { NotFound } from '../shared/errors.ts';
import { signingOf, type Sample } from './meter-values.ts';
import type { CdrStatus, CloseReason, Session, SessionStatus } from './session.types.ts';

type Row = Record<string, any>;

export const toSession = (r: Row): Session => ({
  id: r.id,
  uid: r.uid,
  partyFk: r.party_fk,
  chargePointId: r.charge_point_id,
  connectorNumber: r.connector_number,
  connectorFk: r.connector_fk,
  locationId: r.location_id,
  evseUid: r.evse_uid,
  idTag: r.id_tag,
  tokenFk: r.token_fk,
  authMethod: r.auth_method,
  authorizationReference: r.authorization_reference,
  reservationId: r.reservation_id,
  meterStartWh: Number(r.meter_start_wh),
  meterStopWh: r.meter_stop_wh === null ? null : Number(r.meter_stop_wh),
  energyWh: Number(r.energy_wh),
  startAt: r.start_at,
  stopAt: r.stop_at,
  stopReason: r.stop_reason,
  status: r.status,
  startIdTagInfo: r.start_id_tag_info ?? null,
  currency: r.currency,
  totalCostExclVat: r.total_cost_excl_vat,
  totalCostInclVat: r.total_cost_incl_vat,
  lastMeterAt: r.last_meter_at,
  cdrStatus: r.cdr_status ?? null,
  cdrError: r.cdr_error ?? null,
  lastUpdated: r.last_updated,
  closeReason: r.close_reason ?? null,
  closedBy: r.closed_by ?? null,
  closeNote: r.close_note ?? null,
  energyChangedAt: r.energy_changed_at ?? null,
  idleProbeAt: r.idle_probe_at ?? null,
});

/** What a new session is inserted with; the rest of `Session` is filled in as it runs. */
export type NewSession = Pick<
  Session,
  'uid' | 'partyFk' | 'chargePointId' | 'connectorNumber' | 'connectorFk' | 'locationId' | 'evseUid' | 'idTag' | 'tokenFk' | 'authMethod' | 'reservationId' | 'meterStartWh' | 'startAt' | 'status' | 'startIdTagInfo'
> & { authorizationReference?: string | null };

/** The start key (migration 20261204130001): one session per charger, connector, idTag, meterStart and timestamp. */
export interface StartKey {
  chargePointId: string;
  connectorNumber: number;
  idTag: string;
  meterStartWh: number;
  startAt: Date;
}

const startKeyWhere = (k: StartKey) => ({ charge_point_id: k.chargePointId, connector_number: k.connectorNumber, id_tag: k.idTag, meter_start_wh: k.meterStartWh, start_at: k.startAt });

/**
 * Inserts the session unless one with the same start key exists (or is being inserted by a concurrent
 * transaction, which this waits for): then nothing is inserted and the result is undefined.
 */
export async function insertSessionOnce(db: Db, s: NewSession): Promise<Session | undefined> {
  const [row] = await db('sessions')
    .insert({
      uid: s.uid,
      party_fk: s.partyFk,
      charge_point_id: s.chargePointId,
      connector_number: s.connectorNumber,
      connector_fk: s.connectorFk,
      location_id: s.locationId,
      evse_uid: s.evseUid,
      id_tag: s.idTag,
      token_fk: s.tokenFk,
      auth_method: s.authMethod,
      authorization_reference: s.authorizationReference ?? null,
      reservation_id: s.reservationId,
      meter_start_wh: s.meterStartWh,
      start_at: s.startAt,
      status: s.status,
      start_id_tag_info: s.startIdTagInfo === null ? null : JSON.stringify(s.startIdTagInfo),
      last_updated: dbNow(db),
    })
    .onConflict(db.raw('(charge_point_id, connector_number, id_tag, meter_start_wh, start_at) where duplicate_of is null'))
    .ignore()
    .returning('*');
  return row ? toSession(row) : undefined;
}

/** The session a repeated StartTransaction describes (same start key). */
export async function findSameStart(db: Db, k: StartKey): Promise<Session | undefined> {
  const row = await db('sessions').where(startKeyWhere(k)).whereNull('duplicate_of').first();
  return row ? toSession(row) : undefined;
}

export async function findSessionOfChargePoint(db: Db, chargePointId: string, id: number): Promise<Session | undefined> {
  const row = await db('sessions').where({ id, charge_point_id: chargePointId }).first();
  return row ? toSession(row) : undefined;
}

/** The charger's session, locked until the end of the transaction (a stop must not race a close by cpms). */
export async function findSessionOfChargePointForUpdate(db: Db, chargePointId: string, id: number): Promise<Session | undefined> {
  const row = await db('sessions').where({ id, charge_point_id: chargePointId }).forUpdate().first();
  return row ? toSession(row) : undefined;
}

export async function getSession(db: Db, id: number): Promise<Session> {
  const row = await db('sessions').where({ id }).first();
  if (!row) throw new NotFound(`session ${id} not found`);
  return toSession(row);
}

export async function findSessionByUid(db: Db, uid: string): Promise<Session | undefined> {
  const row = await db('sessions').where({ uid }).first();
  return row ? toSession(row) : undefined;
}

/** The connector's ACTIVE sessions, newest start first, locked until the end of the transaction. */
export async function listActiveSessionsOnConnectorForUpdate(db: Db, chargePointId: string, connectorNumber: number): Promise<Session[]> {
  const rows = await db('sessions')
    .where({ charge_point_id: chargePointId, connector_number: connectorNumber, status: 'ACTIVE' })
    .whereNull('stop_at')
    .orderBy([{ column: 'start_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .forUpdate();
  return rows.map(toSession);
}

/** An ACTIVE session with its connector's last OCPP status and that status's time. */
export interface ActiveSessionState {
  session: Session;
  connectorStatus: string | null;
  connectorStatusAt: Date | null;
}

/**
 * A page of ACTIVE sessions after id `afterId` with their connector's status (the idle-connector and zombie
 * rules), by id; `connectorStatuses`: only those whose connector is in one of them.
 */
export async function listActiveSessionStates(db: Db, page: { afterId: number; limit: number; connectorStatuses?: readonly string[] }): Promise<ActiveSessionState[]> {
  const rows = await db('sessions as s')
    .leftJoin('connectors as c', 'c.id', 's.connector_fk')
    .where('s.status', 'ACTIVE')
    .whereNull('s.stop_at')
    .where('s.id', '>', page.afterId)
    .modify((q) => {
      if (page.connectorStatuses) void q.whereIn('c.ocpp_status', page.connectorStatuses);
    })
    .orderBy('s.id')
    .limit(page.limit)
    .select('s.*', 'c.ocpp_status as connector_ocpp_status', 'c.status_at as connector_status_at');
  return rows.map((r: Row) => ({ session: toSession(r), connectorStatus: r.connector_ocpp_status ?? null, connectorStatusAt: r.connector_status_at ? new Date(r.connector_status_at) : null }));
}

/** Records when cpms asked the charger to confirm the session (idle connector). */
export async function updateIdleProbe(db: Db, id: number, at: Date): Promise<void> {
  await db('sessions').where({ id }).update({ idle_probe_at: at });
}

/** Whether the session got a meter value received at or after `since` (the charger confirms it runs). */
export async function hasSampleReceivedSince(db: Db, sessionFk: number, since: Date): Promise<boolean> {
  const row = await db('meter_values').where({ session_fk: sessionFk }).where('received_at', '>=', since).first('id');
  return row !== undefined;
}

/** The newest running session on connector `one` or on a connector numbered within `shared` (one EVSE's connectors). */
export async function findActiveSessionOnConnectors(db: Db, chargePointId: string, c: { one: number; shared: [number, number] }): Promise<Session | undefined> {
  const row = await db('sessions').where({ charge_point_id: chargePointId, status: 'ACTIVE' })
    .where((q) => q.where('connector_number', c.one).orWhereBetween('connector_number', c.shared)).orderBy('start_at', 'desc').first();
  return row ? toSession(row) : undefined;
}

export async function listSessions(db: Db, opts: { limit: number; offset: number; chargePointId?: string; status?: SessionStatus; cdrStatus?: CdrStatus }): Promise<Session[]> {
  const q = db('sessions').orderBy('id', 'desc').limit(opts.limit).offset(opts.offset);
  if (opts.chargePointId) q.where({ charge_point_id: opts.chargePointId });
  if (opts.status) q.where({ status: opts.status });
  if (opts.cdrStatus) q.where({ cdr_status: opts.cdrStatus });
  return (await q).map(toSession);
}

/** The session, locked until the end of the transaction (`select … for update`). */
export async function findSessionForUpdate(db: Db, id: number): Promise<Session | undefined> {
  const row = await db('sessions').where({ id }).forUpdate().first();
  return row ? toSession(row) : undefined;
}

/** How a session stops: the charger's StopTransaction, or cpms closing it (closeReason and who/why). */
export interface StopFields {
  meterStopWh: number;
  stopAt: Date;
  reason: string;
  stopIdTag: string | null;
  transactionData: unknown;
  status: SessionStatus;
  close?: { reason: CloseReason; closedBy: string | null; note: string | null };
}

export async function updateSessionStop(db: Db, id: number, f: StopFields): Promise<void> {
  await db('sessions')
    .where({ id })
    .update({
      ...(f.close ? { close_reason: f.close.reason, closed_by: f.close.closedBy, close_note: f.close.note } : {}),
      meter_stop_wh: f.meterStopWh,
      stop_at: f.stopAt,
      stop_reason: f.reason,
      stop_id_tag: f.stopIdTag,
      stop_transaction_data: f.transactionData === undefined ? null : JSON.stringify(f.transactionData),
      energy_wh: db.raw('greatest(0, ? - meter_start_wh)', [f.meterStopWh]),
      status: f.status,
      last_updated: dbNow(db),
    });
}

/**
 * The sample key (migrations 20261204130002, 20261210000000), NULLS NOT DISTINCT: a replayed sample conflicts with
 * the stored one. The index leads with the time; ON CONFLICT names its columns in any order.
 */
export const SAMPLE_KEY = '(timestamp, charge_point_id, connector_number, measurand, phase, location, unit, context, format)';

export const toSample = (r: Row): Sample => ({
  timestamp: new Date(r.timestamp),
  measurand: r.measurand,
  phase: r.phase,
  unit: r.unit,
  location: r.location,
  context: r.context,
  format: r.format,
  value: r.value,
  numeric: r.numeric_value === null ? null : String(r.numeric_value),
  ...signingOf({ encodingMethod: r.encoding_method, signingMethod: r.signing_method, publicKey: r.public_key }),
});

/**
 * Stores the samples not stored yet (a replayed or concurrently repeated sample is skipped, waiting for a
 * concurrent insert of it to finish) and returns those it stored.
 */
export async function insertSamples(db: Db, ctx: { chargePointId: string; connectorNumber: number; sessionFk: number | null }, samples: Sample[]): Promise<Sample[]> {
  if (samples.length === 0) return [];
  const receivedAt = dbNow(db);
  const rows = await db('meter_values')
    .insert(
      samples.map((s) => ({
        charge_point_id: ctx.chargePointId,
        connector_number: ctx.connectorNumber,
        session_fk: ctx.sessionFk,
        timestamp: s.timestamp,
        measurand: s.measurand,
        phase: s.phase,
        unit: s.unit,
        location: s.location,
        context: s.context,
        format: s.format,
        value: s.value,
        numeric_value: s.numeric,
        encoding_method: s.signing?.encodingMethod ?? null,
        signing_method: s.signing?.signingMethod ?? null,
        public_key: s.signing?.publicKey ?? null,
        received_at: receivedAt,
      })),
    )
    .onConflict(db.raw(SAMPLE_KEY))
    .ignore()
    .returning('*');
  return rows.map(toSample);
}

export async function listSamples(db: Db, sessionFk: number): Promise<Row[]> {
  return db('meter_values').where({ session_fk: sessionFk }).orderBy([{ column: 'timestamp' }, { column: 'id' }]);
}

/** A session's signed meter value (OCPP 1.6 SignedData sample or 2.0.1 signedMeterValue), as stored. */
export interface SignedMeterValue {
  timestamp: Date;
  context: string;
  measurand: string;
  phase: string | null;
  /** OCPP 2.0.1 encodingMethod / signingMethod / publicKey; null for a 1.6 blob (it names its own, e.g. OCMF). */
  encodingMethod: string | null;
  signingMethod: string | null;
  publicKey: string | null;
  signedMeterData: string;
}

export async function listSignedMeterValues(db: Db, sessionFk: number): Promise<SignedMeterValue[]> {
  const rows = await db('meter_values').where({ session_fk: sessionFk, format: 'SignedData' }).orderBy([{ column: 'timestamp' }, { column: 'id' }]);
  return rows.map((r: Row) => ({
    timestamp: new Date(r.timestamp), context: r.context, measurand: r.measurand, phase: r.phase,
    encodingMethod: r.encoding_method, signingMethod: r.signing_method, publicKey: r.public_key, signedMeterData: r.value,
  }));
}

/** Whether token `tokenFk` is in an ACTIVE session other than at `except` (its connector, or the whole charger). */
export async function hasActiveSessionOfTokenElsewhere(db: Db, tokenFk: number, except: { chargePointId: string; connectorNumber?: number }): Promise<boolean> {
  const row = await db('sessions')
    .where({ token_fk: tokenFk, status: 'ACTIVE' })
    .whereNull('stop_at')
    .modify((q) => {
      if (except.connectorNumber === undefined) void q.whereNot({ charge_point_id: except.chargePointId });
      else void q.whereRaw('not (charge_point_id = ? and connector_number = ?)', [except.chargePointId, except.connectorNumber]);
    })
    .first('id');
  return row !== undefined;
}
