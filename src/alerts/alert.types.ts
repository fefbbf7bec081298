/** Something an operator should know of (issue 15: zombie sessions; issue 9: faults, offline chargers…). */
export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface Alert {
  id: number;
  /** What happened, e.g. ZOMBIE_NO_ENERGY, CONNECTOR_FAULT, CHARGER_OFFLINE. */
  kind: string;
  severity: AlertSeverity;
  /** What the alert is about, e.g. `charger:CP1`, `connector:CP1:2`, `session:42`: one open alert per kind and subject. */
  subject: string | null;
  chargePointId: string | null;
  connectorId: number | null;
  sessionId: number | null;
  message: string;
  openedAt: Date;
  /** Null while open. */
  closedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  ackNote: string | null;
}

export type NewAlert = Pick<Alert, 'kind' | 'severity' | 'message'> & Partial<Pick<Alert, 'subject' | 'chargePointId' | 'connectorId' | 'sessionId'>>;

/** A change of an alert, told to the hooks (webhooks) inside the transaction that made it. */
export interface AlertEvent {
  type: 'alert.opened' | 'alert.closed' | 'alert.acknowledged';
  alert: Alert;
}
