// Pure mapping from OCPP connector state to OCPI EVSE status. No I/O.

/** OCPI 2.2.1 locations §8.4.22 Status. */
export type EvseStatus = 'AVAILABLE' | 'BLOCKED' | 'CHARGING' | 'INOPERATIVE' | 'OUTOFORDER' | 'PLANNED' | 'REMOVED' | 'RESERVED' | 'UNKNOWN';

const OCPP16_TO_OCPI: Record<string, EvseStatus> = {
  Available: 'AVAILABLE',
  // A plug is in or a transaction is running: the EVSE cannot take another driver.
  Preparing: 'CHARGING',
  Charging: 'CHARGING',
  SuspendedEV: 'CHARGING',
  SuspendedEVSE: 'CHARGING',
  Finishing: 'CHARGING',
  Reserved: 'RESERVED',
  Unavailable: 'INOPERATIVE',
  Faulted: 'OUTOFORDER',
};

/** OCPI status of one connector from its OCPP 1.6 ChargePointStatus; a charger that is offline is UNKNOWN. */
export function connectorEvseStatus(ocppStatus: string, isOnline: boolean): EvseStatus {
  if (!isOnline) return 'UNKNOWN';
  return OCPP16_TO_OCPI[ocppStatus] ?? 'UNKNOWN';
}

// Which connector status wins when an EVSE has several connectors: an EVSE is in use as soon as one
// of its connectors is (OCPI: only one connector of an EVSE can be used at a time).
const PRECEDENCE: EvseStatus[] = ['CHARGING', 'RESERVED', 'BLOCKED', 'AVAILABLE', 'INOPERATIVE', 'OUTOFORDER', 'PLANNED', 'UNKNOWN', 'REMOVED'];

/** OCPI status of an EVSE from the statuses of its connectors. */
export function aggregateEvseStatus(connectorStatuses: EvseStatus[]): EvseStatus {
  if (connectorStatuses.length === 0) return 'UNKNOWN';
  for (const status of PRECEDENCE) if (connectorStatuses.includes(status)) return status;
  return 'UNKNOWN';
}

/** OCPP 1.6 §7.6: a StatusNotification reports a fault when its errorCode is not NoError or the status is Faulted. */
export function isFault(status: string, errorCode: string): boolean {
  return errorCode !== 'NoError' || status === 'Faulted';
}

/** OCPI status of an EVSE from its connectors' OCPP statuses, its charger online or not. */
export function evseStatusOf(connectorOcppStatuses: readonly string[], isOnline: boolean): EvseStatus {
  return aggregateEvseStatus(connectorOcppStatuses.map((s) => connectorEvseStatus(s, isOnline)));
}
