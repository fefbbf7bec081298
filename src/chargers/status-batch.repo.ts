// Multi-row statements of the StatusNotification group commit (issue 8): the history, the connectors'
// status and the cleared faults of a whole batch in one statement each, instead of a handful per report.
import { inPairs, toArrayLiteral } from '../db/array-literal.ts';
import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import { statusHistoryRow, toConnector } from './charger.repo.ts';
import type { Connector, StatusReport } from './charger.types.ts';

/** A StatusNotification of a charger. */
export interface StatusItem {
  chargePointId: string;
  report: StatusReport;
}

export async function insertStatusHistories(db: Db, items: readonly StatusItem[]): Promise<void> {
  if (items.length === 0) return;
  const receivedAt = dbNow(db);
  await db('status_history').insert(items.map(({ chargePointId, report }) => statusHistoryRow(chargePointId, report, receivedAt)));
}

/** The connectors named by (charger, connector number) pairs that exist. */
export async function listConnectorsByPairs(db: Db, pairs: ReadonlyArray<readonly [string, number]>): Promise<Connector[]> {
  if (pairs.length === 0) return [];
  return (await db('connectors').whereRaw(...inPairs(['charge_point_id', 'connector_number'], ['text', 'int'], pairs))).map(toConnector);
}

/**
 * Each connector's status from its report, unless a newer report is already stored (newest wins); one
 * report per connector. Returns the ids of the connectors updated.
 */
export async function updateConnectorStatuses(db: Db, updates: ReadonlyArray<{ connectorId: number; report: StatusReport }>): Promise<number[]> {
  if (updates.length === 0) return [];
  const col = (f: (u: { connectorId: number; report: StatusReport }) => string | number | null) => toArrayLiteral(updates.map(f));
  const { rows } = await db.raw(
    `update connectors c
        set ocpp_status = v.status, error_code = v.error_code, info = v.info, vendor_error_code = v.vendor_error_code, status_at = v.at, last_updated = ?::timestamptz
       from unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[]) as v(id, status, error_code, info, vendor_error_code, at)
      where c.id = v.id and (c.status_at is null or c.status_at <= v.at)
      returning c.id`,
    [
      dbNow(db),
      col((u) => u.connectorId),
      col((u) => u.report.status),
      col((u) => u.report.errorCode),
      col((u) => u.report.info ?? null),
      col((u) => u.report.vendorErrorCode ?? null),
      col((u) => u.report.timestamp.toISOString()),
    ],
  );
  return rows.map((r: { id: number }) => Number(r.id));
}

/** Clears the open ERROR_CODE faults of each (charger, connector) at its time; one entry per connector. */
export async function clearErrorFaults(db: Db, clears: readonly StatusItem[]): Promise<void> {
  if (clears.length === 0) return;
  await db.raw(
    `update faults f set cleared_at = v.at
       from unnest(?::text[], ?::int[], ?::timestamptz[]) as v(charge_point_id, connector_number, at)
      where f.charge_point_id = v.charge_point_id and f.connector_number = v.connector_number and f.kind = 'ERROR_CODE' and f.cleared_at is null`,
    [toArrayLiteral(clears.map((c) => c.chargePointId)), toArrayLiteral(clears.map((c) => c.report.connectorNumber)), toArrayLiteral(clears.map((c) => c.report.timestamp.toISOString()))],
  );
}
