import type { IdTagInfo } from '../tokens/token.types.ts';

/** OCPI 2.2.1 sessions §9.4.2 SessionStatus. */
export type SessionStatus = 'ACTIVE' | 'COMPLETED' | 'INVALID' | 'PENDING' | 'RESERVATION';

/**
 * Whether a stopped session got its CDR (null while it runs): CREATED; FAILED (could not be built, see
 * cdrError; the operator may ask again once the data is fixed); NOT_BILLABLE (INVALID: never billed).
 */
export type CdrStatus = 'CREATED' | 'FAILED' | 'NOT_BILLABLE';

/**
 * Why cpms closed an ACTIVE session itself (null: the charger's own StopTransaction closed it): a newer
 * transaction on its connector, its connector idle past the grace time, the operator, a zombie rule
 * (no energy, no progress, too long), or a charger that stopped reporting.
 */
export const CLOSE_REASONS = ['SUPERSEDED', 'CONNECTOR_IDLE', 'OPERATOR_FORCED', 'NO_ENERGY', 'NO_PROGRESS', 'TOO_LONG', 'STALE'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export interface Session {
  id: number;
  uid: string;
  partyFk: number;
  chargePointId: string;
  connectorNumber: number;
  connectorFk: number | null;
  locationId: string | null;
  evseUid: string | null;
  idTag: string;
  tokenFk: number | null;
  authMethod: string;
  authorizationReference: string | null;
  reservationId: number | null;
  meterStartWh: number;
  meterStopWh: number | null;
  energyWh: number;
  startAt: Date;
  stopAt: Date | null;
  stopReason: string | null;
  status: SessionStatus;
  /** The IdTagInfo answered to the StartTransaction (null for sessions recorded before it was kept). */
  startIdTagInfo: IdTagInfo | null;
  currency: string | null;
  totalCostExclVat: string | null;
  totalCostInclVat: string | null;
  lastMeterAt: Date | null;
  cdrStatus: CdrStatus | null;
  /** Why the session has no CDR (FAILED, NOT_BILLABLE). */
  cdrError: string | null;
  lastUpdated: Date;
  /** Why cpms closed it (null: the charger's StopTransaction did), who did (`operator:<email>` or `apikey:<id>`) and the operator's words. */
  closeReason: CloseReason | null;
  closedBy: string | null;
  closeNote: string | null;
  /** When its energy last changed (null: not since its start). */
  energyChangedAt: Date | null;
  /** When cpms last asked the charger to confirm it while its connector was idle. */
  idleProbeAt: Date | null;
}
