// Pure translation of the protocol-neutral commands (named and shaped as OCPP 1.6 actions) into OCPP 2.0.1
// CALLs, and of the 2.0.1 answers back. No I/O.
import { Conflict } from '../../shared/errors.ts';
import type { Ocpp16Command } from '../commands.ts';

/** The 2.0.1 CALL standing for a 1.6 command, and how to read its answer as the 1.6 answer. */
export interface Translated {
  action: string;
  payload: unknown;
  answer(response: unknown): unknown;
}

/** OCPP 2.0.1 actions the admin API may send as they are, to a 2.0.1 station only. */
export const OCPP201_COMMANDS = ['GetVariables', 'SetVariables', 'GetBaseReport', 'GetReport', 'RequestStartTransaction', 'RequestStopTransaction', 'GetTransactionStatus'] as const;
export type Ocpp201Command = (typeof OCPP201_COMMANDS)[number];

type Status = { status: string };
type Payload = Record<string, unknown>;
const same = (r: unknown) => r;
// 2.0.1 adds Scheduled (B11/G03: done once the running transaction ends); 1.6 callers read "Accepted" as done-or-will-be.
const scheduledIsAccepted = (r: unknown) => ({ status: (r as Status).status === 'Scheduled' ? 'Accepted' : (r as Status).status });
// OCPP 2.0.1 F05: two outcomes 1.6 does not know; the command failed either way.
const UNLOCK_STATUS: Record<string, string> = { Unlocked: 'Unlocked', UnlockFailed: 'UnlockFailed', OngoingAuthorizedTransaction: 'UnlockFailed', UnknownConnector: 'NotSupported' };

/** EVSE of a cpms connector number (each connector its own EVSE, see chargers/ocpp201.mapper.ts); 0 = the station. */
const evseOf = (connectorId: number) => (connectorId === 0 ? {} : { evse: { id: connectorId } });

const TRANSLATIONS: Partial<Record<Ocpp16Command, (p: Payload) => Translated>> = {
  // OCPP 2.0.1 B11/B12: Hard = reboot now (Immediate), Soft = once idle (OnIdle).
  Reset: (p) => ({ action: 'Reset', payload: { type: p.type === 'Hard' ? 'Immediate' : 'OnIdle' }, answer: scheduledIsAccepted }),
  ChangeAvailability: (p) => ({ action: 'ChangeAvailability', payload: { operationalStatus: p.type, ...evseOf(p.connectorId as number) }, answer: scheduledIsAccepted }),
  ClearCache: () => ({ action: 'ClearCache', payload: {}, answer: same }),
  GetLocalListVersion: () => ({ action: 'GetLocalListVersion', payload: {}, answer: same }),
  UnlockConnector: (p) => ({ action: 'UnlockConnector', payload: { evseId: p.connectorId, connectorId: 1 }, answer: (r) => ({ status: UNLOCK_STATUS[(r as Status).status] }) }),
  DataTransfer: (p) => ({ action: 'DataTransfer', payload: p, answer: same }),
};

/**
 * The 2.0.1 CALL for `action`: a 2.0.1 action passes unchanged, a 1.6 command is translated; a 1.6 command
 * without a translation yet is a Conflict (the station's version, not the request, is the problem).
 */
export function toOcpp201(action: string, payload: unknown): Translated {
  if ((OCPP201_COMMANDS as readonly string[]).includes(action)) return { action, payload, answer: same };
  const translate = TRANSLATIONS[action as Ocpp16Command];
  if (!translate) throw new Conflict(`${action} is not supported for OCPP 2.0.1 chargers yet`);
  return translate(payload as Payload);
}

/** A 2.0.1 action sent to a 1.6 charger: refused before it reaches the socket. */
export function assertOcpp16Command(action: string): void {
  if ((OCPP201_COMMANDS as readonly string[]).includes(action)) throw new Conflict(`${action} is an OCPP 2.0.1 action and the charger speaks OCPP 1.6`);
}
