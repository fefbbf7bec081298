import { Timeout } from '../shared/errors.ts';
import { evseConnectorOneOf } from '../chargers/evse-address.ts';
import type { CommandResult, CommandResultType, DisplayText, Target, TargetConnector } from './command.types.ts';

/** OCPP 1.6 actions the commands module sends, with the status values each CALLRESULT can carry. */
export interface CommandConfStatus {
  RemoteStartTransaction: 'Accepted' | 'Rejected';
  RemoteStopTransaction: 'Accepted' | 'Rejected';
  ReserveNow: 'Accepted' | 'Faulted' | 'Occupied' | 'Rejected' | 'Unavailable';
  CancelReservation: 'Accepted' | 'Rejected';
  UnlockConnector: 'Unlocked' | 'UnlockFailed' | 'NotSupported';
}
export type CommandAction = keyof CommandConfStatus;

// One table from the charger's answer to the OCPI result (OCPI 2.2.1 commands §13.4.2).
const RESULT_OF: { [A in CommandAction]: Record<CommandConfStatus[A], CommandResultType> } = {
  RemoteStartTransaction: { Accepted: 'ACCEPTED', Rejected: 'REJECTED' },
  RemoteStopTransaction: { Accepted: 'ACCEPTED', Rejected: 'REJECTED' },
  // OCPP 1.6 §7.38 ReservationStatus: Faulted / Unavailable = the connector cannot be used now.
  ReserveNow: { Accepted: 'ACCEPTED', Faulted: 'EVSE_INOPERATIVE', Occupied: 'EVSE_OCCUPIED', Rejected: 'REJECTED', Unavailable: 'EVSE_INOPERATIVE' },
  // OCPP 1.6 §7.6 CancelReservationStatus Rejected: "no reservation with this id was found".
  CancelReservation: { Accepted: 'ACCEPTED', Rejected: 'UNKNOWN_RESERVATION' },
  // OCPP 1.6 §7.43 UnlockStatus: UnlockFailed = the lock stuck (the very case UNLOCK_CONNECTOR exists for).
  UnlockConnector: { Unlocked: 'ACCEPTED', UnlockFailed: 'FAILED', NotSupported: 'NOT_SUPPORTED' },
};

/** A one-language OCPI DisplayText list. */
export function englishText(text: string): DisplayText[] {
  return [{ language: 'en', text: text.slice(0, 512) }];
}

/** The CommandResult for the charger's CALLRESULT `status` to `action`. */
export function commandResultOf<A extends CommandAction>(action: A, status: CommandConfStatus[A]): CommandResult {
  const result = (RESULT_OF[action] as Record<string, CommandResultType>)[status] ?? 'FAILED';
  return result === 'ACCEPTED' ? { result } : { result, message: englishText(`charge point answered ${action} with ${status}`) };
}

/**
 * The CommandResult when the charger did not answer with a CALLRESULT: no answer in time → TIMEOUT;
 * a CALLERROR NotImplemented / NotSupported → NOT_SUPPORTED; anything else (other CALLERROR, socket
 * closed, charger offline) → FAILED.
 */
export function commandResultOfFailure(err: unknown): CommandResult {
  if (err instanceof Timeout) return { result: 'TIMEOUT', message: englishText('no answer from the charge point in time') };
  const rpcCode = (err as { rpcCode?: unknown } | null)?.rpcCode;
  if (rpcCode === 'NotImplemented' || rpcCode === 'NotSupported') {
    return { result: 'NOT_SUPPORTED', message: englishText(`charge point answered ${rpcCode}`) };
  }
  return { result: 'FAILED', message: englishText(err instanceof Error ? err.message : 'command failed') };
}

/** An EVSE of a location with its connectors, as stored. */
export interface LocationEvse {
  uid: string;
  chargePointId: string | null;
  isRemoved: boolean;
  connectors: TargetConnector[];
}

export interface TargetRequest {
  evses: LocationEvse[];
  evseUid?: string;
  connectorId?: string;
}

const fail = (reason: string): Target => ({ ok: false, reason });

/**
 * Resolves an OCPI location / EVSE / connector reference to a charger and its OCPP connectorId.
 * OCPI 2.2.1 commands §13.3.5 NOTE: with OCPP 1.x an EVSE maps onto a charger's connector. Without
 * `evse_uid` the location must have exactly one charger; without `connector_id` the EVSE's connector is
 * used when it has one, and left to the charger (undefined) when the charger serves only this EVSE.
 */
export function resolveTarget(req: TargetRequest): Target {
  const live = req.evses.filter((e) => !e.isRemoved);
  if (req.evseUid === undefined) {
    const chargers = [...new Set(live.map((e) => e.chargePointId).filter((id): id is string => id !== null))];
    if (chargers.length === 0) return fail('location has no charge point');
    if (chargers.length > 1) return fail('evse_uid required: location has several charge points');
    return { ok: true, chargePointId: chargers[0], connectorNumber: undefined };
  }
  const evse = live.find((e) => e.uid === req.evseUid);
  if (!evse) return fail(`unknown evse_uid ${req.evseUid}`);
  if (!evse.chargePointId) return fail(`EVSE ${evse.uid} is not linked to a charge point`);
  if (req.connectorId !== undefined) {
    const connector = evse.connectors.find((c) => c.ocpiId === req.connectorId);
    if (!connector) return fail(`unknown connector_id ${req.connectorId} on EVSE ${evse.uid}`);
    if (connector.connectorNumber === null) return fail(`connector ${connector.ocpiId} has no OCPP connectorId`);
    return { ok: true, chargePointId: evse.chargePointId, connectorNumber: connector.connectorNumber };
  }
  return defaultConnector(evse, live);
}

function defaultConnector(evse: LocationEvse, live: LocationEvse[]): Target {
  const numbered = evse.connectors.flatMap((c) => (c.connectorNumber === null ? [] : [c.connectorNumber]));
  if (numbered.length === 1) return { ok: true, chargePointId: evse.chargePointId!, connectorNumber: numbered[0] };
  // The connectors of one OCPP 2.0.1 EVSE (chargers/evse-address.ts): the start names the EVSE, the driver picks the plug.
  if (new Set(numbered.map(evseConnectorOneOf)).size === 1) return { ok: true, chargePointId: evse.chargePointId!, connectorNumber: Math.min(...numbered) };
  const sharesCharger = live.some((e) => e !== evse && e.chargePointId === evse.chargePointId);
  if (sharesCharger) return fail(`connector_id required: EVSE ${evse.uid} shares its charge point with other EVSEs`);
  return { ok: true, chargePointId: evse.chargePointId!, connectorNumber: undefined };
}
