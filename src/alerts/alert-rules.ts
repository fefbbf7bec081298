// Pure alert rules (issue 9): what each condition found in the stored data says as an alert, and which
// alerts to open and close so that exactly the conditions that hold have one open alert each. No I/O.
import type { Alert, NewAlert } from './alert.types.ts';

export type RuleAlert = NewAlert & { subject: string };

/** An open fault (OCPP 1.6 §4.9 StatusNotification error code or Faulted, or an OFFLINE charger). */
export interface FaultFact {
  chargePointId: string;
  connectorNumber: number;
  kind: 'ERROR_CODE' | 'OFFLINE';
  errorCode: string;
  info: string | null;
  /** The connector's current OCPP status (null for connector 0). */
  connectorStatus: string | null;
}

/** CONNECTOR_FAULT (critical when Faulted, warning for an error code on a connector still usable) or CHARGER_OFFLINE (critical). */
export function faultAlert(f: FaultFact): RuleAlert {
  if (f.kind === 'OFFLINE') {
    return { kind: 'CHARGER_OFFLINE', severity: 'critical', subject: `charger:${f.chargePointId}`, chargePointId: f.chargePointId, message: 'charger offline: no message within its heartbeat allowance' };
  }
  const isFaulted = f.errorCode === 'Faulted' || f.connectorStatus === 'Faulted' || f.connectorNumber === 0;
  const where = f.connectorNumber === 0 ? 'charger' : `connector ${f.connectorNumber}`;
  return {
    kind: 'CONNECTOR_FAULT',
    severity: isFaulted ? 'critical' : 'warning',
    subject: `fault:${f.chargePointId}:${f.connectorNumber}:${f.errorCode}`,
    chargePointId: f.chargePointId,
    connectorId: f.connectorNumber,
    message: `${where} reports ${f.errorCode}${f.info ? ` (${f.info})` : ''}`,
  };
}

/** BOOT_REJECTED: the charger booted and was answered Rejected (OCPP 1.6 §4.2.1); closed once it is accepted. */
export const bootRejectedAlert = (chargePointId: string): RuleAlert => ({
  kind: 'BOOT_REJECTED', severity: 'warning', subject: `charger:${chargePointId}`, chargePointId, message: 'BootNotification answered Rejected: the charger is not registered as accepted',
});

/** NO_METER_VALUES: an ACTIVE session without meter values for `afterMin` minutes. */
export const silentSessionAlert = (s: { sessionId: number; chargePointId: string; connectorNumber: number }, afterMin: number): RuleAlert => ({
  kind: 'NO_METER_VALUES', severity: 'warning', subject: `session:${s.sessionId}`, chargePointId: s.chargePointId, connectorId: s.connectorNumber, sessionId: s.sessionId,
  message: `no meter values for ${afterMin} min or more`,
});

/** CONNECTOR_STUCK: a connector in Preparing or Finishing for `afterMin` minutes. */
export const stuckConnectorAlert = (c: { chargePointId: string; connectorNumber: number; status: string }, afterMin: number): RuleAlert => ({
  kind: 'CONNECTOR_STUCK', severity: 'warning', subject: `connector:${c.chargePointId}:${c.connectorNumber}:${c.status}`, chargePointId: c.chargePointId, connectorId: c.connectorNumber,
  message: `connector ${c.connectorNumber} in ${c.status} for ${afterMin} min or more`,
});

/** REPEATED_FAILED_STARTS: the last `count` starts on the connector were all refused. */
export const failedStartsAlert = (c: { chargePointId: string; connectorNumber: number }, count: number): RuleAlert => ({
  kind: 'REPEATED_FAILED_STARTS', severity: 'warning', subject: `connector:${c.chargePointId}:${c.connectorNumber}`, chargePointId: c.chargePointId, connectorId: c.connectorNumber,
  message: `the last ${count} starts on connector ${c.connectorNumber} were refused`,
});

/** SESSION_WITHOUT_CDR: a session ended and its CDR could not be built (sessions.cdr_status FAILED). */
export const missingCdrAlert = (s: { sessionId: number; chargePointId: string; connectorNumber: number; error: string | null }): RuleAlert => ({
  kind: 'SESSION_WITHOUT_CDR', severity: 'critical', subject: `session:${s.sessionId}`, chargePointId: s.chargePointId, connectorId: s.connectorNumber, sessionId: s.sessionId,
  message: `session ended without a CDR${s.error ? `: ${s.error}` : ''}`,
});

/**
 * The alerts of one kind to open (conditions without an open alert) and to close (open alerts whose
 * condition no longer holds), matched by subject.
 */
export function reconcile(open: Pick<Alert, 'id' | 'subject'>[], holding: RuleAlert[]): { toOpen: RuleAlert[]; toClose: number[] } {
  const openSubjects = new Set(open.map((a) => a.subject));
  const holdingSubjects = new Set(holding.map((a) => a.subject));
  return {
    toOpen: holding.filter((a) => !openSubjects.has(a.subject)),
    toClose: open.filter((a) => !holdingSubjects.has(a.subject ?? '')).map((a) => a.id),
  };
}
