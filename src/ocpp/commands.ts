import { randomInt } from 'node:crypto';
import { Conflict } from '../shared/errors.ts';
import type { ConnectionRegistry } from './connections.ts';
import type { Ocpp16Actions } from './v16/types.ts';
import { assertOcpp16Command, sessionIdOf, toOcpp201 } from './v201/commands.ts';

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

/** What translating commands for OCPP 2.0.1 stations needs from the domain (sessions). */
export interface Ocpp201Lookups {
  /** The station's transactionId of a session of `chargePointId`, or undefined. */
  transactionIdOf(chargePointId: string, sessionId: number): Promise<string | undefined>;
  nextRemoteStartId(): number;
  /** Records a RequestStartTransaction's remoteStartId and idToken before it is sent (F01: the station echoes the id). */
  rememberRemoteStart(chargePointId: string, r: { remoteStartId: number; idTag: string }): Promise<void>;
  /** Records the requestId of a 2.0.1 UpdateFirmware or 1.6 SignedUpdateFirmware about to be sent (their status notifications name it). */
  rememberFirmwareRequest?(chargePointId: string, requestId: number): Promise<void>;
  /**
   * What the station's reported device model says for GetConfiguration: its ReadOnly variables (v201/configuration.ts
   * variableKey names) and DeviceDataCtrlr.ItemsPerMessage[GetVariables].
   */
  configurationHints?(chargePointId: string): Promise<{ readOnly: ReadonlySet<string>; getVariablesPerMessage?: number }>;
}

const NO_LOOKUPS: Ocpp201Lookups = { transactionIdOf: async () => undefined, nextRemoteStartId: () => randomInt(1, 2 ** 31 - 1), rememberRemoteStart: async () => undefined };

/** Sends commands to chargers; implemented locally, or across nodes by a bus. */
export interface CommandSender {
  send<A extends Ocpp16Command>(chargePointId: string, action: A, payload: Ocpp16Actions[A]['req'], timeoutMs?: number): Promise<Ocpp16Actions[A]['conf']>;
}

/**
 * Sends a command over a socket held by this node; to an OCPP 2.0.1 station it is translated (v201/commands.ts). Resolves with the charger's validated answer;
 * rejects with Timeout, an OcppError carrying the charger's CALLERROR, or Conflict when the charger is
 * registered but not connected (an unknown charger is the caller's NotFound, so the two stay apart).
 */
export function localCommandSender(connections: ConnectionRegistry, v201: Ocpp201Lookups = NO_LOOKUPS): CommandSender {
  return {
    async send(chargePointId, action, payload, timeoutMs) {
      const conn = connections.get(chargePointId);
      if (!conn?.isOpen) throw new Conflict(`charger ${chargePointId} is not connected`);
      // Protocol adapter: the command is read by the version this socket speaks (never cached per charger).
      if (conn.protocol === 'ocpp2.0.1') {
        const sessionId = sessionIdOf(action, payload);
        const transactionId = sessionId === undefined ? undefined : await v201.transactionIdOf(chargePointId, sessionId);
        const hints = action === 'GetConfiguration' ? await v201.configurationHints?.(chargePointId) : undefined;
        const call = toOcpp201(action, payload, { remoteStartId: v201.nextRemoteStartId(), requestId: v201.nextRemoteStartId(), transactionId, ...hints });
        if (call.reply !== undefined) return call.reply as never;
        if (call.parts && call.combine) {
          // One outstanding CALL per direction: the parts one after the other.
          const answers = [];
          for (const part of call.parts) answers.push(await conn.call(call.action, part, timeoutMs));
          return call.answer(call.combine(answers)) as never;
        }
        // OCPP 2.0.1 L01/L02: recorded before it goes out, as the station may report on it before it answers.
        if (call.action === 'UpdateFirmware') await v201.rememberFirmwareRequest?.(chargePointId, (call.payload as { requestId: number }).requestId);
        if (call.action === 'RequestStartTransaction') {
          const p = call.payload as { remoteStartId: number; idToken: { idToken: string } };
          await v201.rememberRemoteStart(chargePointId, { remoteStartId: p.remoteStartId, idTag: p.idToken.idToken });
        }
        return call.answer(await conn.call(call.action, call.payload, timeoutMs)) as never;
      }
      assertOcpp16Command(action);
      // 1.6 security whitepaper §4: SignedFirmwareStatusNotifications name the request, recorded before it goes out.
      if (action === 'SignedUpdateFirmware') await v201.rememberFirmwareRequest?.(chargePointId, (payload as { requestId: number }).requestId);
      return (await conn.call(action, payload, timeoutMs)) as never;
    },
  };
}
