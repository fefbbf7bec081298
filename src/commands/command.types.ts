import type { OcpiToken } from '../tokens/token.types.ts';

/** OCPI 2.2.1 commands §13.4.3 CommandType. */
export const COMMAND_TYPES = ['CANCEL_RESERVATION', 'RESERVE_NOW', 'START_SESSION', 'STOP_SESSION', 'UNLOCK_CONNECTOR'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

/** OCPI 2.2.1 commands §13.4.1 CommandResponseType: the CPO's synchronous answer. */
export type CommandResponseType = 'NOT_SUPPORTED' | 'REJECTED' | 'ACCEPTED' | 'UNKNOWN_SESSION';

/** OCPI 2.2.1 commands §13.4.2 CommandResultType: the Charge Point's asynchronous answer. */
export type CommandResultType =
  | 'ACCEPTED'
  | 'CANCELED_RESERVATION'
  | 'EVSE_OCCUPIED'
  | 'EVSE_INOPERATIVE'
  | 'FAILED'
  | 'NOT_SUPPORTED'
  | 'REJECTED'
  | 'TIMEOUT'
  | 'UNKNOWN_RESERVATION';

export interface DisplayText {
  language: string;
  text: string;
}

/** OCPI 2.2.1 commands §13.3.2 CommandResponse (wire shape). */
export interface CommandResponse {
  result: CommandResponseType;
  timeout: number;
  message?: DisplayText[];
}

/** OCPI 2.2.1 commands §13.3.3 CommandResult (wire shape). */
export interface CommandResult {
  result: CommandResultType;
  message?: DisplayText[];
}

/** OCPI 2.2.1 commands §13.3.5 StartSession. */
export interface StartSession {
  response_url: string;
  token: OcpiToken;
  location_id: string;
  evse_uid?: string;
  connector_id?: string;
  authorization_reference?: string;
}

/** OCPI 2.2.1 commands §13.3.6 StopSession. */
export interface StopSession {
  response_url: string;
  session_id: string;
}

/** OCPI 2.2.1 commands §13.3.4 ReserveNow. */
export interface ReserveNow {
  response_url: string;
  token: OcpiToken;
  expiry_date: string;
  reservation_id: string;
  location_id: string;
  evse_uid?: string;
  authorization_reference?: string;
}

/** OCPI 2.2.1 commands §13.3.1 CancelReservation. */
export interface CancelReservation {
  response_url: string;
  reservation_id: string;
}

/** OCPI 2.2.1 commands §13.3.7 UnlockConnector. */
export interface UnlockConnector {
  response_url: string;
  location_id: string;
  evse_uid: string;
  connector_id: string;
}

/** An EVSE connector as the commands module needs it to address a charger. */
export interface TargetConnector {
  ocpiId: string;
  chargePointId: string | null;
  connectorNumber: number | null;
}

/** Where a command on a location / EVSE lands: a charger and (optionally) one of its connectors. */
export type Target =
  | { ok: true; chargePointId: string; connectorNumber: number | undefined }
  | { ok: false; reason: string };
