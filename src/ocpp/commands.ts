import { Conflict } from '../shared/errors.ts';
import type { ConnectionRegistry } from './connections.ts';
import type { Ocpp16Actions } from './v16/types.ts';

/** Server-initiated OCPP 1.6 actions (OCPP 1.6 §5) that the admin API and other modules may send. */
export const OCPP16_COMMANDS = [
  'RemoteStartTransaction', 'RemoteStopTransaction', 'Reset', 'UnlockConnector', 'ChangeAvailability',
  'ChangeConfiguration', 'GetConfiguration', 'ClearCache', 'TriggerMessage', 'SetChargingProfile',
  'ClearChargingProfile', 'GetCompositeSchedule', 'ReserveNow', 'CancelReservation', 'SendLocalList',
  'GetLocalListVersion', 'UpdateFirmware', 'GetDiagnostics', 'DataTransfer',
  // OCPP 1.6 security whitepaper (edition 3) §4-6: certificates, signed firmware, logs, extended trigger.
  'CertificateSigned', 'InstallCertificate', 'DeleteCertificate', 'GetInstalledCertificateIds', 'SignedUpdateFirmware', 'GetLog', 'ExtendedTriggerMessage',
] as const satisfies ReadonlyArray<keyof Ocpp16Actions>;

export type Ocpp16Command = (typeof OCPP16_COMMANDS)[number];

/** Sends commands to chargers; implemented locally, or across nodes by a bus. */
export interface CommandSender {
  send<A extends Ocpp16Command>(chargePointId: string, action: A, payload: Ocpp16Actions[A]['req'], timeoutMs?: number): Promise<Ocpp16Actions[A]['conf']>;
}

/**
 * Sends a command over a socket held by this node. Resolves with the charger's validated answer;
 * rejects with Timeout, an OcppError carrying the charger's CALLERROR, or Conflict when the charger is
 * registered but not connected (an unknown charger is the caller's NotFound, so the two stay apart).
 */
export function localCommandSender(connections: ConnectionRegistry): CommandSender {
  return {
    async send(chargePointId, action, payload, timeoutMs) {
      const conn = connections.get(chargePointId);
      if (!conn?.isOpen) throw new Conflict(`charger ${chargePointId} is not connected`);
      return (await conn.call(action, payload, timeoutMs)) as never;
    },
  };
}
