import type { Knex } from 'knex';
import type { EvseStatus } from './connector-state.ts';
import type { ConnectorSpecSource } from './connector-spec.ts';

export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';

export interface ChargePoint {
  id: string;
  registrationStatus: RegistrationStatus;
  hasPassword: boolean;
  locationId: string | null;
  /** The EVSE given when the charger was attached: connector 1's, and the base of its other connectors' EVSE uids. */
  primaryEvseFk: number | null;
  protocol: string | null;
  vendor: string | null;
  model: string | null;
  serialNumber: string | null;
  firmwareVersion: string | null;
  heartbeatIntervalSec: number | null;
  lastBootAt: Date | null;
  lastHeartbeatAt: Date | null;
  lastSeenAt: Date | null;
  isConnected: boolean;
  isOnline: boolean;
  connectedNode: string | null;
  firmwareStatus: string | null;
  /** The firmware update `firmwareStatus` belongs to: the requestId of the last UpdateFirmware sent, or the one its last status named. */
  firmwareRequestId: number | null;
  diagnosticsStatus: string | null;
  createdAt: Date;
}

export interface Connector {
  id: number;
  chargePointId: string | null;
  connectorNumber: number | null;
  evseFk: number | null;
  ocpiId: string;
  standard: string;
  format: string;
  powerType: string;
  maxVoltage: number;
  maxAmperage: number;
  maxElectricPower: number | null;
  /** Who set the connector data: null = the defaults, 'operator' or 'charger' (connector-spec.ts). */
  specSource: ConnectorSpecSource | null;
  ocppStatus: string;
  errorCode: string | null;
  info: string | null;
  statusAt: Date | null;
}

/** A connector as the admin API shows it: with the uid of its EVSE (null: the charger is on no location). */
export interface ConnectorView extends Connector {
  evseUid: string | null;
}

export interface Fault {
  id: string;
  chargePointId: string;
  connectorNumber: number;
  kind: 'ERROR_CODE' | 'OFFLINE';
  errorCode: string;
  info: string | null;
  vendorErrorCode: string | null;
  openedAt: Date;
  clearedAt: Date | null;
}

export interface StatusReport {
  connectorNumber: number;
  status: string;
  errorCode: string;
  info?: string;
  vendorId?: string;
  vendorErrorCode?: string;
  timestamp: Date;
}

/** An EVSE status that overrides the one computed from its connectors (e.g. INOPERATIVE during maintenance). */
export type EvseStatusOverride = (trx: Knex.Transaction | Knex, evseFks: readonly number[]) => Promise<Map<number, EvseStatus>>;

/** Runs inside the transaction that recorded a charger event of its type (e.g. FirmwareStatusNotification). */
export type ChargerEventHook = (trx: Knex.Transaction, chargePointId: string, payload: unknown) => Promise<void>;
