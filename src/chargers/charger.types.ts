export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';

export interface ChargePoint {
  id: string;
  registrationStatus: RegistrationStatus;
  hasPassword: boolean;
  locationId: string | null;
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
  ocppStatus: string;
  errorCode: string | null;
  info: string | null;
  statusAt: Date | null;
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
