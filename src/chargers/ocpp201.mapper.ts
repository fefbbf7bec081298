// Pure mapping of OCPP 2.0.1 provisioning payloads onto the protocol-neutral charger model. No I/O.
import type { BootNotificationRequest as Boot16 } from '../ocpp/v16/types.ts';
import type { BootNotificationRequest, ConnectorStatusEnumType } from '../ocpp/v201/types.ts';

/**
 * The charger fields a 2.0.1 BootNotification carries, in the shape ChargerService.boot takes
 * (OCPP 2.0.1 B01: chargingStation.vendorName/model/serialNumber/firmwareVersion, modem.iccid/imsi).
 */
export function bootFields(p: BootNotificationRequest): Boot16 {
  const cs = p.chargingStation;
  return {
    chargePointVendor: cs.vendorName,
    chargePointModel: cs.model,
    chargePointSerialNumber: cs.serialNumber,
    firmwareVersion: cs.firmwareVersion,
    iccid: cs.modem?.iccid,
    imsi: cs.modem?.imsi,
  };
}

// OCPP 2.0.1 §2.10 ConnectorStatusEnumType has five values; the connector state machine and OCPI mapping
// speak OCPP 1.6's ChargePointStatus. Occupied becomes Charging (OCPI CHARGING either way): 2.0.1 reports
// the charging state in TransactionEvent, not here, and Preparing would look like a connector stuck in it.
const CONNECTOR_STATUS: Record<ConnectorStatusEnumType, string> = {
  Available: 'Available',
  Occupied: 'Charging',
  Reserved: 'Reserved',
  Unavailable: 'Unavailable',
  Faulted: 'Faulted',
};

/** The OCPP 1.6 ChargePointStatus a 2.0.1 connectorStatus stands for. */
export function connectorStatus16(status: ConnectorStatusEnumType): string {
  return CONNECTOR_STATUS[status];
}

// OCPP 2.0.1 E01 chargingState → the 1.6 status of an occupied connector. EVConnected (plugged in, not
// charging) reads as SuspendedEV; Idle (no EV) refines nothing: the StatusNotification that follows says it.
const CHARGING_STATE: Record<string, string | undefined> = { Charging: 'Charging', SuspendedEV: 'SuspendedEV', SuspendedEVSE: 'SuspendedEVSE', EVConnected: 'SuspendedEV', Idle: undefined };

/** The 1.6 ChargePointStatus refining an occupied connector for a 2.0.1 chargingState, or undefined. */
export function chargingStatus16(chargingState: string): string | undefined {
  return CHARGING_STATE[chargingState];
}

/** Statuses a chargingState may refine: an occupied connector (2.0.1 Occupied is stored as Charging). */
export const OCCUPIED_STATUSES: ReadonlySet<string> = new Set(['Charging', 'SuspendedEV', 'SuspendedEVSE']);

// OCPP 2.0.1 O01: message ids are the CSMS's; the price of connector n uses its own, far from an operator's ids.
export const PRICE_MESSAGE_ID_BASE = 900_000;

/**
 * The 2.0.1 SetDisplayMessage showing `content` (a price in words) on EVSE n while it is idle (O01: state Idle
 * = before a session), replacing the earlier price of that EVSE (same id). 2.0.1 MessageContent: 512 chars.
 */
export function priceDisplayMessage(connectorNumber: number, content: string, language: string) {
  return { message: { id: PRICE_MESSAGE_ID_BASE + connectorNumber, priority: 'NormalCycle', state: 'Idle', message: { format: 'UTF8', language, content: content.slice(0, 512) } } };
}
