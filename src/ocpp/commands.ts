import { Conflict } from '../shared/errors.ts';
import type { ConnectionRegistry } from './connections.ts';
import type { Ocpp16Actions } from './v16/types.ts';
import { assertOcpp16Command, toOcpp201 } from './v201/commands.ts';

/** Server-initiated OCPP 1.6 actions (OCPP 1.6 §5) that the admin API and other modules may send. */
export const OCPP16_COMMANDS = [
  'RemoteStartTransaction', 'RemoteStopTransaction', 'Reset', 'UnlockConnector', 'ChangeAvailability',
  'ChangeConfiguration', 'GetConfiguration', 'ClearCache', 'TriggerMessage', 'SetChargingProfile',
  'ClearChargingProfile', 'GetCompositeSchedule', 'ReserveNow', 'CancelReservation', 'SendLocalList',
  'GetLocalListVersion', 'UpdateFirmware', 'GetDiagnostics', 'DataTransfer',
] as const satisfies ReadonlyArray<keyof Ocpp16Actions>;

export type Ocpp16Command = (typeof OCPP16_COMMANDS)[number];

/** Sends commands to chargers; implemented locally, or across nodes by a bus. */
export interface CommandSender {
  send<A extends Ocpp16Command>(chargePointId: string, action: A, payload: Ocpp16Actions[A]['req'], timeoutMs?: number): Promise<Ocpp16Actions[A]['conf']>;
}

/**
 * Sends a command over a socket held by this node; to an OCPP 2.0.1 station it is translated (v201/commands.ts). Resolves with the charger's validated answer;
 * rejects with Timeout, an OcppError carrying the charger's CALLERROR, or Conflict when the charger is
 * registered but not connected (an unknown charger is the caller's NotFound, so the two stay apart).
 */
export function localCommandSender(connections: ConnectionRegistry): CommandSender {
  return {
    async send(chargePointId, action, payload, timeoutMs) {
      const conn = connections.get(chargePointId);
      if (!conn?.isOpen) throw new Conflict(`charger ${chargePointId} is not connected`);
      // Protocol adapter: the command is read by the version this socket speaks (never cached per charger).
      if (conn.protocol === 'ocpp2.0.1') {
        const call = toOcpp201(action, payload);
        return call.answer(await conn.call(call.action, call.payload, timeoutMs)) as never;
      }
      assertOcpp16Command(action);
      return (await conn.call(action, payload, timeoutMs)) as never;
    },
  };
}
