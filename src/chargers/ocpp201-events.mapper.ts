// Pure: which OCPP 2.0.1 NotifyEvent reports are connector faults, in the terms of OCPP 1.6 StatusNotification
// faults (the error codes the alert rules know), and which clear them. No I/O.
import type { EventDataType } from '../ocpp/v201/types.ts';
import { connectorNumberOf } from './evse-address.ts';

/** A fault a NotifyEvent opens (or clears), as a 1.6 StatusNotification would have reported it. */
export interface EventFault {
  connectorNumber: number;
  /** OCPP 1.6 ChargePointErrorCode, or Faulted for the connector's AvailabilityState */
  errorCode: string;
  info: string;
  vendorErrorCode: string | null;
  isCleared: boolean;
  timestamp: string;
}

// OCPP 2.0.1 part 2 appendix (standardized components) → OCPP 1.6 §7.6 ChargePointErrorCode.
const ERROR_CODE_OF_COMPONENT: Record<string, string> = {
  ConnectorPlugRetentionLock: 'ConnectorLockFailure',
  EVRetentionLock: 'ConnectorLockFailure',
  TokenReader: 'ReaderFailure',
  OverCurrentProtection: 'OverCurrentFailure',
  RCD: 'GroundFailure',
  FiscalMetering: 'PowerMeterFailure',
  PowerContactor: 'PowerSwitchFailure',
  ElectricalFeed: 'UnderVoltage',
  TemperatureSensor: 'HighTemperature',
};
const ERROR_CODE_OF_VARIABLE: Record<string, string> = { Temperature: 'HighTemperature' };

// Cause of an event: its 1.6 error code (OtherError when neither component nor variable tells more).
function errorCodeOf(e: EventDataType): string {
  if (e.variable.name === 'AvailabilityState') return 'Faulted';
  return ERROR_CODE_OF_COMPONENT[e.component.name] ?? ERROR_CODE_OF_VARIABLE[e.variable.name] ?? 'OtherError';
}

// Whether an event reports a fault (true), its end (false), or neither (undefined: a plain value report).
function isFaultReport(e: EventDataType): boolean | undefined {
  if (e.cleared === true) return e.trigger === 'Alerting' || e.variable.name === 'Problem' || e.variable.name === 'AvailabilityState' ? false : undefined;
  // OCPP 2.0.1 part 2 appendix: Problem (boolean) is true while the component has a problem.
  if (e.variable.name === 'Problem') return e.actualValue.toLowerCase() === 'true';
  // AvailabilityState Faulted is a 2.0.1 connector's own Faulted status; any other value ends it.
  if (e.variable.name === 'AvailabilityState') return e.actualValue === 'Faulted';
  // A monitor's threshold crossed (N07 Alerting); it clears with cleared=true (above).
  if (e.trigger === 'Alerting') return true;
  return undefined;
}

/** The cpms connector of a component's EVSE; an id no connector can have stays the EVSE's (the handler refuses it). */
function connectorOf(evse: { id: number; connectorId?: number } | undefined): number {
  if (!evse) return 0;
  return connectorNumberOf(evse.id, evse.connectorId) ?? evse.id;
}

/**
 * The faults a NotifyEvent's reports open or clear. Connector: the component's EVSE connector (evse-address.ts;
 * no connectorId: the EVSE's connector 1), 0 = the station. info names component, variable and value (1.6: 50 chars).
 */
export function eventFaults(events: EventDataType[]): EventFault[] {
  const faults: EventFault[] = [];
  for (const e of events) {
    const isFault = isFaultReport(e);
    if (isFault === undefined) continue;
    faults.push({
      connectorNumber: connectorOf(e.component.evse),
      errorCode: errorCodeOf(e),
      info: `${e.component.name}.${e.variable.name}=${e.actualValue}`.slice(0, 50),
      vendorErrorCode: e.techCode ?? null,
      isCleared: !isFault,
      timestamp: e.timestamp,
    });
  }
  return faults;
}
