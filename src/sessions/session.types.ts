import type { IdTagInfo } from '../tokens/token.types.ts';

/** OCPI 2.2.1 sessions §9.4.2 SessionStatus. */
export type SessionStatus = 'ACTIVE' | 'COMPLETED' | 'INVALID' | 'PENDING' | 'RESERVATION';

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
  lastUpdated: Date;
}
