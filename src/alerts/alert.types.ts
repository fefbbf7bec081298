/** Something an operator should know of (issue 15: zombie sessions; other issues add kinds). */
export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface Alert {
  id: number;
  /** What happened, e.g. ZOMBIE_NO_ENERGY. */
  kind: string;
  severity: AlertSeverity;
  chargePointId: string | null;
  connectorId: number | null;
  sessionId: number | null;
  message: string;
  openedAt: Date;
  /** Null while open. */
  closedAt: Date | null;
}

export type NewAlert = Pick<Alert, 'kind' | 'severity' | 'message'> & Partial<Pick<Alert, 'chargePointId' | 'connectorId' | 'sessionId'>>;
