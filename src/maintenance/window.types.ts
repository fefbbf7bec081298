export type WindowStatus = 'SCHEDULED' | 'ACTIVE' | 'ENDED' | 'CANCELLED';

export const WINDOW_STATUSES: readonly WindowStatus[] = ['SCHEDULED', 'ACTIVE', 'ENDED', 'CANCELLED'];

/** A maintenance window (issue 9): a charger or one of its connectors (its EVSE) out of service for a while. */
export interface MaintenanceWindow {
  id: number;
  chargePointId: string;
  /** Null: the whole charger. */
  connectorId: number | null;
  startsAt: Date;
  endsAt: Date;
  reason: string | null;
  status: WindowStatus;
  startedAt: Date | null;
  endedAt: Date | null;
  /** ChangeAvailability Inoperative: the charger's answer (Accepted, Rejected, Scheduled), Offline or Failed. */
  startCommandStatus: string | null;
  /** ChangeAvailability Operative, likewise; Skipped when another window still holds the charger. */
  endCommandStatus: string | null;
  createdBy: string;
  createdAt: Date;
}

export interface NewWindow {
  chargePointId: string;
  connectorId: number | null;
  startsAt: Date;
  endsAt: Date;
  reason: string | null;
}
