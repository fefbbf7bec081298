import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import { translatePg } from '../db/pg-errors.ts';
import { NotFound } from '../shared/errors.ts';
import type { ConnectorSpecPatch, ConnectorSpecSource } from './connector-spec.ts';
import type { ChargePoint, Connector, ConnectorView, Fault, RegistrationStatus, StatusReport } from './charger.types.ts';

type Row = Record<string, any>;

function toChargePoint(r: Row): ChargePoint {
  return {
    id: r.id,
    registrationStatus: r.registration_status,
    hasPassword: Boolean(r.password_hash),
    locationId: r.location_id,
    primaryEvseFk: r.primary_evse_fk,
    protocol: r.protocol,
    vendor: r.vendor,
    model: r.model,
    serialNumber: r.serial_number,
    firmwareVersion: r.firmware_version,
    heartbeatIntervalSec: r.heartbeat_interval_sec,
    lastBootAt: r.last_boot_at,
    lastHeartbeatAt: r.last_heartbeat_at,
    lastSeenAt: r.last_seen_at,
    isConnected: r.is_connected,
    isOnline: r.is_online,
    connectedNode: r.connected_node,
    firmwareStatus: r.firmware_status,
    firmwareRequestId: r.firmware_request_id ?? null,
    diagnosticsStatus: r.diagnostics_status,
    createdAt: r.created_at,
  };
}

export function toConnector(r: Row): Connector {
  return {
    id: r.id,
    chargePointId: r.charge_point_id,
    connectorNumber: r.connector_number,
    evseFk: r.evse_fk,
    ocpiId: r.ocpi_id,
    standard: r.standard,
    format: r.format,
    powerType: r.power_type,
    maxVoltage: r.max_voltage,
    maxAmperage: r.max_amperage,
    maxElectricPower: r.max_electric_power,
    specSource: r.spec_source,
    ocppStatus: r.ocpp_status,
    errorCode: r.error_code,
    info: r.info,
    statusAt: r.status_at,
  };
}

export async function findChargePoint(db: Db, id: string): Promise<ChargePoint | undefined> {
  const row = await db('charge_points').where({ id }).first();
  return row ? toChargePoint(row) : undefined;
}

export async function getChargePoint(db: Db, id: string): Promise<ChargePoint> {
  const cp = await findChargePoint(db, id);
  if (!cp) throw new NotFound(`charger ${id} not found`);
  return cp;
}

export async function insertChargePoint(db: Db, cp: { id: string; passwordHash: string | null; registrationStatus: RegistrationStatus; locationId?: string | null }): Promise<void> {
  await translatePg(`charger ${cp.id}`, () =>
    db('charge_points').insert({ id: cp.id, password_hash: cp.passwordHash, registration_status: cp.registrationStatus, location_id: cp.locationId ?? null, created_at: dbNow(db), updated_at: dbNow(db) }),
  );
}

export async function updateChargePoint(db: Db, id: string, fields: Row): Promise<void> {
  const count = await translatePg(`charger ${id}`, () => db('charge_points').where({ id }).update({ ...fields, updated_at: dbNow(db) }));
  if (count === 0) throw new NotFound(`charger ${id} not found`);
}

/**
 * Records that the charger was heard from; returns its registration status and whether it had been
 * marked offline (the previous is_online, read under the row lock of the same statement).
 */
export async function touchChargePoint(db: Db, id: string, at: Date, isHeartbeat: boolean): Promise<{ registrationStatus: RegistrationStatus; wasOffline: boolean }> {
  const { rows } = await db.raw(
    `update charge_points c set last_seen_at = ?, is_online = true${isHeartbeat ? ', last_heartbeat_at = ?' : ''}
       from (select id, is_online from charge_points where id = ? for update) prev
      where c.id = prev.id
      returning c.registration_status, prev.is_online as was_online`,
    isHeartbeat ? [at, at, id] : [at, id],
  );
  if (!rows[0]) throw new NotFound(`charger ${id} not found`);
  return { registrationStatus: rows[0].registration_status, wasOffline: !rows[0].was_online };
}

export async function listChargePoints(db: Db, opts: { limit: number; offset: number; locationId?: string }): Promise<ChargePoint[]> {
  const q = db('charge_points').orderBy('id').limit(opts.limit).offset(opts.offset);
  if (opts.locationId) q.where({ location_id: opts.locationId });
  return (await q).map(toChargePoint);
}

/** Chargers marked online whose last message is older than `cutoffFor(interval)`; scoped by heartbeat interval. */
export async function listOverdueOnline(db: Db, now: Date, multiple: number, defaultIntervalSec: number): Promise<string[]> {
  const rows = await db('charge_points')
    .where({ is_online: true })
    .whereRaw(`coalesce(last_seen_at, connected_at, created_at) < ?::timestamptz - make_interval(secs => coalesce(heartbeat_interval_sec, ?) * ?)`, [now.toISOString(), defaultIntervalSec, multiple])
    .select('id');
  return rows.map((r: Row) => r.id);
}

/** The charger's connectors with their EVSE's uid, by connector number. */
export async function listConnectors(db: Db, chargePointId: string): Promise<ConnectorView[]> {
  const rows = await db('connectors as c').leftJoin('evses as e', 'e.id', 'c.evse_fk').where('c.charge_point_id', chargePointId).orderBy('c.connector_number').select('c.*', 'e.uid as evse_uid');
  return rows.map((r: Row) => ({ ...toConnector(r), evseUid: r.evse_uid ?? null }));
}

export async function listConnectorsOfEvse(db: Db, evseFk: number): Promise<Connector[]> {
  return (await db('connectors').where({ evse_fk: evseFk }).orderBy('id')).map(toConnector);
}

export async function findConnector(db: Db, chargePointId: string, connectorNumber: number): Promise<Connector | undefined> {
  const row = await db('connectors').where({ charge_point_id: chargePointId, connector_number: connectorNumber }).first();
  return row ? toConnector(row) : undefined;
}

/** The charger's connectors with the EVSE each is on (uid and location), by connector number. */
export async function listPlacedConnectors(db: Db, chargePointId: string): Promise<Array<{ id: number; connectorNumber: number; evse: { id: number; uid: string; locationId: string } | null }>> {
  const rows = await db('connectors as c').leftJoin('evses as e', 'e.id', 'c.evse_fk').where('c.charge_point_id', chargePointId).whereNotNull('c.connector_number')
    .orderBy('c.connector_number').select('c.id', 'c.connector_number', 'e.id as evse_id', 'e.uid as evse_uid', 'e.location_id as evse_location_id');
  return rows.map((r: Row) => ({ id: r.id, connectorNumber: r.connector_number, evse: r.evse_id === null ? null : { id: r.evse_id, uid: r.evse_uid, locationId: r.evse_location_id } }));
}

/** The charger's primary EVSE (see ChargePoint.primaryEvseFk) with its uid and location. */
export async function findPrimaryEvse(db: Db, chargePointId: string): Promise<{ id: number; uid: string; locationId: string } | undefined> {
  const row = await db('charge_points as cp').join('evses as e', 'e.id', 'cp.primary_evse_fk').where('cp.id', chargePointId).first('e.id', 'e.uid', 'e.location_id');
  return row ? { id: row.id, uid: row.uid, locationId: row.location_id } : undefined;
}

/** Puts the connector on an EVSE (null: none); a connector update is an update of its EVSE (locations §8.2.1.1). */
export async function updateConnectorEvse(db: Db, connectorFk: number, evseFk: number | null): Promise<void> {
  await db('connectors').where({ id: connectorFk }).update({ evse_fk: evseFk, last_updated: dbNow(db) });
}

const SPEC_COLUMNS: Record<keyof ConnectorSpecPatch, string> = {
  standard: 'standard', format: 'format', powerType: 'power_type', maxVoltage: 'max_voltage', maxAmperage: 'max_amperage', maxElectricPower: 'max_electric_power',
};

/** Stores the given connector data fields and who set them; `unlessSetBy`: leaves a connector whose data that source set. */
export async function updateConnectorSpec(db: Db, connectorFk: number, patch: ConnectorSpecPatch, source: ConnectorSpecSource, unlessSetBy?: ConnectorSpecSource): Promise<boolean> {
  const fields: Row = { spec_source: source, last_updated: dbNow(db) };
  for (const [key, column] of Object.entries(SPEC_COLUMNS)) {
    const value = patch[key as keyof ConnectorSpecPatch];
    if (value !== undefined) fields[column] = value;
  }
  const q = db('connectors').where({ id: connectorFk });
  if (unlessSetBy) q.andWhere((w) => w.whereNull('spec_source').orWhereNot({ spec_source: unlessSetBy }));
  return (await q.update(fields)) > 0;
}

/** Creates the connector on first sight (OCPP 1.6 gives no other way to learn a charger's connectors); a concurrent first sight wins. */
export async function ensureConnector(db: Db, chargePointId: string, connectorNumber: number, evseFk: number | undefined): Promise<Connector> {
  await db('connectors')
    .insert({ charge_point_id: chargePointId, connector_number: connectorNumber, evse_fk: evseFk ?? null, ocpi_id: String(connectorNumber), last_updated: dbNow(db) })
    .onConflict(['charge_point_id', 'connector_number'])
    .ignore();
  const row = await db('connectors').where({ charge_point_id: chargePointId, connector_number: connectorNumber }).first();
  return toConnector(row);
}

/** Locks the connector row until the end of the transaction (serializes transactions starting on it). */
/** The charger's connector, locked until the end of `db`'s transaction, with its EVSE's uid and location: one statement. */
export async function lockConnectorWithEvse(db: Db, chargePointId: string, connectorNumber: number): Promise<{ connector: Connector; evse: { uid: string; locationId: string } | null } | undefined> {
  const row = await db('connectors as c')
    .leftJoin('evses as e', 'e.id', 'c.evse_fk')
    .where({ 'c.charge_point_id': chargePointId, 'c.connector_number': connectorNumber })
    .forUpdate('c')
    .first('c.*', 'e.uid as evse_uid', 'e.location_id as evse_location_id');
  if (!row) return undefined;
  return { connector: toConnector(row), evse: row.evse_uid ? { uid: row.evse_uid, locationId: row.evse_location_id } : null };
}

/** Stores the status unless a newer one is already stored (a replayed offline queue must not go back in time). */
export async function updateConnectorStatus(db: Db, connectorId: number, report: StatusReport): Promise<boolean> {
  const count = await db('connectors')
    .where({ id: connectorId })
    .andWhere((q) => q.whereNull('status_at').orWhere('status_at', '<=', report.timestamp))
    .update({
      ocpp_status: report.status,
      error_code: report.errorCode,
      info: report.info ?? null,
      vendor_error_code: report.vendorErrorCode ?? null,
      status_at: report.timestamp,
      last_updated: dbNow(db),
    });
  return count > 0;
}

/** The status_history row of a report. */
export function statusHistoryRow(chargePointId: string, report: StatusReport, receivedAt: unknown): Row {
  return {
    charge_point_id: chargePointId,
    connector_number: report.connectorNumber,
    status: report.status,
    error_code: report.errorCode,
    info: report.info ?? null,
    vendor_id: report.vendorId ?? null,
    vendor_error_code: report.vendorErrorCode ?? null,
    timestamp: report.timestamp,
    received_at: receivedAt,
  };
}

export async function insertStatusHistory(db: Db, chargePointId: string, report: StatusReport): Promise<void> {
  await db('status_history').insert(statusHistoryRow(chargePointId, report, dbNow(db)));
}

/** Whether a report of this connector newer than `at` is already in the history (then `at` is a replay). */
export async function hasNewerStatusHistory(db: Db, chargePointId: string, connectorNumber: number, at: Date): Promise<boolean> {
  const row = await db('status_history').where({ charge_point_id: chargePointId, connector_number: connectorNumber }).where('timestamp', '>', at).first('id');
  return row !== undefined;
}

export async function listStatusHistory(db: Db, chargePointId: string, limit: number): Promise<Row[]> {
  return db('status_history').where({ charge_point_id: chargePointId }).orderBy([{ column: 'timestamp', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
}

function toFault(r: Row): Fault {
  return {
    id: String(r.id),
    chargePointId: r.charge_point_id,
    connectorNumber: r.connector_number,
    kind: r.kind,
    errorCode: r.error_code,
    info: r.info,
    vendorErrorCode: r.vendor_error_code,
    openedAt: r.opened_at,
    clearedAt: r.cleared_at,
  };
}

export async function findOpenFault(db: Db, chargePointId: string, connectorNumber: number, kind: Fault['kind'], errorCode: string): Promise<Fault | undefined> {
  const row = await db('faults').where({ charge_point_id: chargePointId, connector_number: connectorNumber, kind, error_code: errorCode }).whereNull('cleared_at').first();
  return row ? toFault(row) : undefined;
}

export async function insertFault(db: Db, f: Omit<Fault, 'id' | 'clearedAt'>): Promise<void> {
  await db('faults').insert({
    charge_point_id: f.chargePointId,
    connector_number: f.connectorNumber,
    kind: f.kind,
    error_code: f.errorCode,
    info: f.info,
    vendor_error_code: f.vendorErrorCode,
    opened_at: f.openedAt,
  });
}

/** Clears the open faults of one kind on a connector; returns how many were cleared. */
export async function clearFaults(db: Db, chargePointId: string, connectorNumber: number | undefined, kind: Fault['kind'], at: Date): Promise<number> {
  const q = db('faults').where({ charge_point_id: chargePointId, kind }).whereNull('cleared_at');
  if (connectorNumber !== undefined) q.where({ connector_number: connectorNumber });
  return q.update({ cleared_at: at });
}

export async function listFaults(db: Db, opts: { chargePointId?: string; openOnly: boolean; limit: number }): Promise<Fault[]> {
  const q = db('faults').orderBy('opened_at', 'desc').limit(opts.limit);
  if (opts.chargePointId) q.where({ charge_point_id: opts.chargePointId });
  if (opts.openOnly) q.whereNull('cleared_at');
  return (await q).map(toFault);
}

export async function insertEvent(db: Db, chargePointId: string, type: string, payload: unknown, at?: Date): Promise<void> {
  await db('charge_point_events').insert({ charge_point_id: chargePointId, type, payload: JSON.stringify(payload ?? null), occurred_at: at ?? dbNow(db) });
}

export async function insertEvents(db: Db, events: Array<{ chargePointId: string; type: string; payload: unknown }>, at: Date): Promise<void> {
  if (events.length === 0) return;
  await db('charge_point_events').insert(events.map((e) => ({ charge_point_id: e.chargePointId, type: e.type, payload: JSON.stringify(e.payload ?? null), occurred_at: at })));
}

export async function listEvents(db: Db, chargePointId: string, limit: number): Promise<Row[]> {
  return db('charge_point_events').where({ charge_point_id: chargePointId }).orderBy('id', 'desc').limit(limit);
}

/** Clears the open fault with this error code on a connector; returns how many were cleared. */
export async function clearFaultOfCode(db: Db, f: { chargePointId: string; connectorNumber: number; kind: Fault['kind']; errorCode: string; at: Date }): Promise<number> {
  return db('faults').where({ charge_point_id: f.chargePointId, connector_number: f.connectorNumber, kind: f.kind, error_code: f.errorCode }).whereNull('cleared_at').update({ cleared_at: f.at });
}
