// The server's OCPP 1.6 commands, answered as a real charger answers them (OCPP 1.6 §5), by acting on the
// neutral ctx.model. An action without a handler is answered NotImplemented (OCPP-J 1.6 §4.2.3).
import type * as T from '../../ocpp/v16/types.ts';
import type { SimCharger } from '../model/charger.ts';
import type { Ocpp16Configuration } from './configuration.ts';
import { compositeResponse, toIdTagInfo, toProfile } from './messages.ts';

export type TriggerableMessage = T.TriggerMessageRequest['requestedMessage'];

/** What the handlers need from the station besides the ctx.model. */
export interface CommandContext {
  identity: string;
  model: SimCharger;
  config: Ocpp16Configuration;
  /** the model's transaction ref of a transactionId the server gave */
  refOf(transactionId: number): string | undefined;
  /** runs `fn` once the answer has been sent (after `ms`) */
  later(fn: () => void, ms?: number): void;
  reboot(kind: 'Hard' | 'Soft'): void;
  /** sends a triggered message; false when it cannot (e.g. an unknown connector) */
  trigger(message: TriggerableMessage, connectorId: number | undefined): boolean;
  configurationChanged(key: string): void;
  /** runs a firmware update / diagnostics upload: one status notification per step */
  firmwareSteps(action: 'FirmwareStatusNotification' | 'DiagnosticsStatusNotification', statuses: string[], startAt: number): void;
}

export type Handler = (ctx: CommandContext, payload: never) => unknown;

/**
 * Every command a simulated OCPP 1.6 charger implements (Core, Smart Charging, Reservation, Local Auth List,
 * Firmware), built once per process: the station passes itself as the context (20,000 chargers share it).
 */
export const OCPP16_HANDLERS: Record<string, Handler> = { ...transactionCommands(), ...configurationCommands(), ...smartChargingCommands(), ...reservationAndAuthCommands(), ...maintenanceCommands() } as Record<string, Handler>;

const validConnector = (ctx: CommandContext, id: number) => id >= 1 && id <= ctx.model.spec.connectors;

function transactionCommands() {
  return {
    RemoteStartTransaction: (ctx: CommandContext, p: T.RemoteStartTransactionRequest): T.RemoteStartTransactionResponse => {
      // §5.11: a charging profile given with a remote start is the transaction's TxProfile.
      if (p.chargingProfile && p.chargingProfile.chargingProfilePurpose !== 'TxProfile') return { status: 'Rejected' };
      if (p.connectorId !== undefined && !validConnector(ctx, p.connectorId)) return { status: 'Rejected' };
      const profile = p.chargingProfile && toProfile(p.connectorId ?? 0, p.chargingProfile, undefined, ctx.model.now());
      return { status: ctx.model.remoteStart(p.connectorId, p.idTag, profile) };
    },
    RemoteStopTransaction: (ctx: CommandContext, p: T.RemoteStopTransactionRequest): T.RemoteStopTransactionResponse => {
      const ref = ctx.refOf(p.transactionId);
      return { status: ref !== undefined && ctx.model.remoteStop(ref) ? 'Accepted' : 'Rejected' };
    },
    UnlockConnector: (ctx: CommandContext, p: T.UnlockConnectorRequest): T.UnlockConnectorResponse => ({ status: validConnector(ctx, p.connectorId) && ctx.model.unlock(p.connectorId) ? 'Unlocked' : 'NotSupported' }),
  };
}

function configurationCommands() {
  return {
    Reset: (ctx: CommandContext, p: T.ResetRequest): T.ResetResponse => {
      ctx.later(() => ctx.reboot(p.type));
      return { status: 'Accepted' };
    },
    ChangeAvailability: (ctx: CommandContext, p: T.ChangeAvailabilityRequest): T.ChangeAvailabilityResponse => ({
      status: ctx.model.availability.change(p.connectorId, p.type === 'Operative', (id) => ctx.model.connector(id)?.tx !== undefined),
    }),
    GetConfiguration: (ctx: CommandContext, p: T.GetConfigurationRequest): T.GetConfigurationResponse => ctx.config.get(p.key),
    ChangeConfiguration: (ctx: CommandContext, p: T.ChangeConfigurationRequest): T.ChangeConfigurationResponse => {
      const status = ctx.config.change(p.key, p.value);
      if (status === 'Accepted') ctx.later(() => ctx.configurationChanged(p.key));
      return { status };
    },
    TriggerMessage: (ctx: CommandContext, p: T.TriggerMessageRequest): T.TriggerMessageResponse => {
      if (p.connectorId !== undefined && p.connectorId !== 0 && !validConnector(ctx, p.connectorId)) return { status: 'Rejected' };
      ctx.later(() => ctx.trigger(p.requestedMessage, p.connectorId));
      return { status: 'Accepted' };
    },
    // A simulated charger knows no vendor extensions (§4.3 DataTransfer).
    DataTransfer: (ctx: CommandContext): T.DataTransferResponse => ({ status: 'UnknownVendorId' }),
  };
}

function smartChargingCommands() {
  const purposes = { ChargePointMaxProfile: 'ChargePointMax', TxDefaultProfile: 'TxDefault', TxProfile: 'Tx' } as const;
  return {
    SetChargingProfile: (ctx: CommandContext, p: T.SetChargingProfileRequest): T.SetChargingProfileResponse => {
      const cs = p.csChargingProfiles;
      // A transactionId the charger does not know can name no running transaction: the store rejects it.
      const txRef = cs.transactionId === undefined ? undefined : (ctx.refOf(cs.transactionId) ?? `unknown:${cs.transactionId}`);
      return { status: ctx.model.setProfile(toProfile(p.connectorId, cs, txRef, ctx.model.now())) };
    },
    ClearChargingProfile: (ctx: CommandContext, p: T.ClearChargingProfileRequest): T.ClearChargingProfileResponse => ({
      status: ctx.model.clearProfiles({ id: p.id, connectorId: p.connectorId, stackLevel: p.stackLevel, purpose: p.chargingProfilePurpose && purposes[p.chargingProfilePurpose] }),
    }),
    GetCompositeSchedule: (ctx: CommandContext, p: T.GetCompositeScheduleRequest): T.GetCompositeScheduleResponse => {
      const schedule = ctx.model.composite(p.connectorId, p.duration, p.chargingRateUnit ?? 'A');
      return schedule ? compositeResponse(p.connectorId, schedule) : { status: 'Rejected' };
    },
  };
}

function reservationAndAuthCommands() {
  return {
    ReserveNow: (ctx: CommandContext, p: T.ReserveNowRequest): T.ReserveNowResponse => {
      const v = validConnector(ctx, p.connectorId) ? ctx.model.view(p.connectorId) : undefined;
      const occupied = v !== undefined && (v.evPlugged || v.tx !== undefined || v.finishing || v.awaitingPlug);
      const reservation = { id: p.reservationId, connectorId: p.connectorId, idTag: p.idTag, expiresAt: Date.parse(p.expiryDate), ...(p.parentIdTag ? { parentIdTag: p.parentIdTag } : {}) };
      return { status: ctx.model.availability.reserve(reservation, occupied, ctx.model.now()) };
    },
    CancelReservation: (ctx: CommandContext, p: T.CancelReservationRequest): T.CancelReservationResponse => ({ status: ctx.model.availability.cancel(p.reservationId) ? 'Accepted' : 'Rejected' }),
    SendLocalList: (ctx: CommandContext, p: T.SendLocalListRequest): T.SendLocalListResponse => {
      if (!ctx.config.bool('LocalAuthListEnabled')) return { status: 'NotSupported' };
      const entries = (p.localAuthorizationList ?? []).map((e) => ({ idTag: e.idTag, ...(e.idTagInfo ? { info: toIdTagInfo(e.idTagInfo) } : {}) }));
      return { status: ctx.model.auth.update(p.listVersion, p.updateType, entries) };
    },
    // §5.10: -1 when the charger has no Local Authorization List.
    GetLocalListVersion: (ctx: CommandContext): T.GetLocalListVersionResponse => ({ listVersion: ctx.config.bool('LocalAuthListEnabled') ? ctx.model.auth.listVersion : -1 }),
    ClearCache: (ctx: CommandContext): T.ClearCacheResponse => {
      ctx.model.auth.clearCache();
      return { status: 'Accepted' };
    },
  };
}

function maintenanceCommands() {
  return {
    UpdateFirmware: (ctx: CommandContext, p: T.UpdateFirmwareRequest): T.UpdateFirmwareResponse => {
      ctx.firmwareSteps('FirmwareStatusNotification', ['Downloading', 'Downloaded', 'Installing', 'Installed'], Date.parse(p.retrieveDate));
      return {};
    },
    GetDiagnostics: (ctx: CommandContext): T.GetDiagnosticsResponse => {
      const fileName = `diagnostics-${ctx.identity}-${new Date(ctx.model.now()).toISOString().replace(/[:.]/g, '')}.log`;
      ctx.firmwareSteps('DiagnosticsStatusNotification', ['Uploading', 'Uploaded'], ctx.model.now());
      return { fileName };
    },
  };
}
