// The CSMS's OCPP 2.0.1 requests, answered as a real charging station answers them, by acting on the neutral
// ctx.model, whose connectors sit on EVSEs as ../model/evse.ts lays them out. An action without a handler is
// answered NotImplemented (OCPP-J 2.0.1 Part 4 §4.3).
import { connectorAt, connectorsOfEvse, evseAddressOf, evseCount } from '../model/evse.ts';
import type * as T from '../../ocpp/v201/types.ts';
import type { SimCharger } from '../model/charger.ts';
import type { ChargingProfile, ProfilePurpose } from '../model/charging-profiles.ts';
import type { DeviceModel } from './device-model.ts';
import { compositeResponse201, purposeOf, toIdTagInfo201, toProfile201 } from './messages.ts';

/** Messages a TriggerMessage may ask for that this station sends (F06). */
export const TRIGGERABLE = ['BootNotification', 'Heartbeat', 'StatusNotification', 'MeterValues', 'TransactionEvent', 'FirmwareStatusNotification', 'LogStatusNotification'] as const;
export type Triggerable = (typeof TRIGGERABLE)[number];

/** What the handlers need from the station besides the ctx.model. */
export interface CommandContext201 {
  model: SimCharger;
  variables: DeviceModel;
  /** the model's transaction ref of the station's transactionId */
  refOf(transactionId: string): string | undefined;
  /** runs `fn` once the answer has been sent */
  later(fn: () => void): void;
  reboot(): void;
  /** B12: reboot once no transaction runs any more */
  rebootWhenIdle(): void;
  trigger(message: Triggerable, evseId: number | undefined): void;
  variableChanged(key: string): void;
  /** B07: the NotifyReports of a base report, paged */
  sendReport(requestId: number, base: T.ReportBaseEnumType): void;
  /** K09: the ReportChargingProfiles of a GetChargingProfiles */
  reportProfiles(requestId: number, profiles: ChargingProfile[]): void;
  /** N09: the report on a customer in NotifyCustomerInformation parts, one per item, tbc on all but the last */
  sendCustomerInformation(requestId: number, parts: string[]): void;
  /** F01: the transaction a RequestStartTransaction for `idTag` starts carries `remoteStartId` (undefined: forget it) */
  expectRemoteStart(idTag: string, remoteStartId: number | undefined): void;
}

export type Handler201 = (ctx: CommandContext201, payload: never) => unknown;

/** Every request a simulated 2.0.1 station implements, built once per process (the station passes itself as context). */
export const OCPP201_HANDLERS: Record<string, Handler201> = { ...transactionRequests(), ...provisioningRequests(), ...smartChargingRequests(), ...reservationAndAuthRequests(), ...customerRequests() } as Record<string, Handler201>;

const validEvse = (ctx: CommandContext201, id: number) => id >= 1 && id <= evseCount(ctx.model.spec);
/** The model connector an EVSE-wide request concerns: the one in use, else the EVSE's first (0: the station). */
function connectorOf(ctx: CommandContext201, evseId: number): number {
  if (evseId === 0) return 0;
  const connectors = connectorsOfEvse(ctx.model.spec, evseId);
  const isInUse = (c: number) => {
    const v = ctx.model.view(c);
    return v.evPlugged || v.tx !== undefined || v.awaitingPlug;
  };
  return connectors.find(isInUse) ?? connectors[0] ?? evseId;
}
const busy = (ctx: CommandContext201) => (id: number) => ctx.model.connector(id)?.tx !== undefined;

function transactionRequests() {
  return {
    // F01/F02: a charging profile given with the request is the transaction's TxProfile (F01 FR.08).
    RequestStartTransaction: (ctx: CommandContext201, p: T.RequestStartTransactionRequest): T.RequestStartTransactionResponse => {
      if (p.chargingProfile && p.chargingProfile.chargingProfilePurpose !== 'TxProfile') return { status: 'Rejected' };
      if (p.evseId !== undefined && !validEvse(ctx, p.evseId)) return { status: 'Rejected' };
      const connector = p.evseId === undefined ? undefined : connectorOf(ctx, p.evseId);
      const profile = p.chargingProfile && toProfile201(connector ?? 0, p.chargingProfile, undefined, ctx.model.now());
      // Before the model starts it: without an authorization to wait for, the transaction may start at once.
      ctx.expectRemoteStart(p.idToken.idToken, p.remoteStartId);
      const status = ctx.model.remoteStart(connector, p.idToken.idToken, profile);
      if (status !== 'Accepted') ctx.expectRemoteStart(p.idToken.idToken, undefined);
      return { status };
    },
    RequestStopTransaction: (ctx: CommandContext201, p: T.RequestStopTransactionRequest): T.RequestStopTransactionResponse => {
      const ref = ctx.refOf(p.transactionId);
      return { status: ref !== undefined && ctx.model.remoteStop(ref) ? 'Accepted' : 'Rejected' };
    },
    // F05: a cable is not released under a running authorized transaction.
    UnlockConnector: (ctx: CommandContext201, p: T.UnlockConnectorRequest): T.UnlockConnectorResponse => {
      const connector = connectorAt(ctx.model.spec, p.evseId, p.connectorId);
      if (connector === undefined) return { status: 'UnknownConnector' };
      if (ctx.model.connector(connector)?.tx) return { status: 'OngoingAuthorizedTransaction' };
      return { status: ctx.model.unlock(connector) ? 'Unlocked' : 'UnlockFailed' };
    },
  };
}

function provisioningRequests() {
  return {
    // B11/B12: Immediate stops the transactions and reboots; OnIdle waits for them to end (Scheduled). No EVSE reset.
    Reset: (ctx: CommandContext201, p: T.ResetRequest): T.ResetResponse => {
      if (p.evseId !== undefined) return { status: 'Rejected' };
      if (p.type === 'OnIdle' && ctx.model.connectors.some((c) => c.tx)) {
        ctx.rebootWhenIdle();
        return { status: 'Scheduled' };
      }
      ctx.later(() => ctx.reboot());
      return { status: 'Accepted' };
    },
    // G03: no EVSE = the whole station; going Inoperative under a transaction is Scheduled for its end.
    ChangeAvailability: (ctx: CommandContext201, p: T.ChangeAvailabilityRequest): T.ChangeAvailabilityResponse => {
      const evseId = p.evse?.id ?? 0;
      const connectors = evseId === 0 ? [0] : p.evse?.connectorId === undefined ? connectorsOfEvse(ctx.model.spec, evseId) : [connectorAt(ctx.model.spec, evseId, p.evse.connectorId)];
      if (connectors.length === 0 || connectors.includes(undefined)) return { status: 'Rejected' };
      const statuses = connectors.map((c) => ctx.model.availability.change(c!, p.operationalStatus === 'Operative', busy(ctx)));
      return { status: statuses.find((s) => s !== 'Accepted') ?? 'Accepted' };
    },
    GetVariables: (ctx: CommandContext201, p: T.GetVariablesRequest): T.GetVariablesResponse => ({ getVariableResult: p.getVariableData.map((d) => ctx.variables.get(d)) as T.GetVariablesResponse['getVariableResult'] }),
    SetVariables: (ctx: CommandContext201, p: T.SetVariablesRequest): T.SetVariablesResponse => {
      const outcomes = p.setVariableData.map((d) => ctx.variables.set(d));
      ctx.later(() => outcomes.forEach((o) => o.changedKey && ctx.variableChanged(o.changedKey)));
      return { setVariableResult: outcomes.map((o) => o.result) as T.SetVariablesResponse['setVariableResult'] };
    },
    GetBaseReport: (ctx: CommandContext201, p: T.GetBaseReportRequest): T.GetBaseReportResponse => {
      if (p.reportBase === 'SummaryInventory') return { status: 'NotSupported' };
      ctx.later(() => ctx.sendReport(p.requestId, p.reportBase));
      return { status: 'Accepted' };
    },
    TriggerMessage: (ctx: CommandContext201, p: T.TriggerMessageRequest): T.TriggerMessageResponse => {
      if (p.evse && connectorAt(ctx.model.spec, p.evse.id, p.evse.connectorId ?? 1) === undefined) return { status: 'Rejected' };
      if (!(TRIGGERABLE as readonly string[]).includes(p.requestedMessage)) return { status: 'NotImplemented' };
      ctx.later(() => ctx.trigger(p.requestedMessage as Triggerable, p.evse?.id));
      return { status: 'Accepted' };
    },
    // A simulated station knows no vendor extensions (P01).
    DataTransfer: (): T.DataTransferResponse => ({ status: 'UnknownVendorId' }),
    // I02: the running cost is for the driver's display; a station without one acknowledges it.
    CostUpdated: (): T.CostUpdatedResponse => ({}),
  };
}

function smartChargingRequests() {
  return {
    // K01: evseId 0 = the station (ChargingStationMaxProfile, TxDefaultProfile for every EVSE).
    SetChargingProfile: (ctx: CommandContext201, p: T.SetChargingProfileRequest): T.SetChargingProfileResponse => {
      const txId = p.chargingProfile.transactionId;
      // A transactionId the station does not know can name no running transaction: the store rejects it.
      const txRef = txId === undefined ? undefined : (ctx.refOf(txId) ?? `unknown:${txId}`);
      const profile = toProfile201(connectorOf(ctx, p.evseId), p.chargingProfile, txRef, ctx.model.now());
      return { status: profile && ctx.model.setProfile(profile) === 'Accepted' ? 'Accepted' : 'Rejected' };
    },
    // K09: the profiles are reported in ReportChargingProfiles after the answer.
    GetChargingProfiles: (ctx: CommandContext201, p: T.GetChargingProfilesRequest): T.GetChargingProfilesResponse => {
      const c = p.chargingProfile;
      const purpose = c.chargingProfilePurpose && purposeOf(c.chargingProfilePurpose);
      const found = ctx.model.profiles.profiles.filter(
        (x) => (p.evseId === undefined || x.connectorId === connectorOf(ctx, p.evseId)) && (c.chargingProfilePurpose === undefined || x.purpose === purpose) && (c.stackLevel === undefined || x.stackLevel === c.stackLevel) && (c.chargingProfileId === undefined || c.chargingProfileId.includes(x.id)),
      );
      if (found.length === 0) return { status: 'NoProfiles' };
      ctx.later(() => ctx.reportProfiles(p.requestId, found));
      return { status: 'Accepted' };
    },
    ClearChargingProfile: (ctx: CommandContext201, p: T.ClearChargingProfileRequest): T.ClearChargingProfileResponse => {
      const c = p.chargingProfileCriteria;
      const purpose: ProfilePurpose | undefined = c?.chargingProfilePurpose && purposeOf(c.chargingProfilePurpose);
      if (c?.chargingProfilePurpose && !purpose) return { status: 'Unknown' };
      return { status: ctx.model.clearProfiles({ id: p.chargingProfileId, connectorId: c?.evseId === undefined ? undefined : connectorOf(ctx, c.evseId), purpose, stackLevel: c?.stackLevel }) };
    },
    GetCompositeSchedule: (ctx: CommandContext201, p: T.GetCompositeScheduleRequest): T.GetCompositeScheduleResponse => {
      const schedule = ctx.model.composite(connectorOf(ctx, p.evseId), p.duration, p.chargingRateUnit ?? 'A');
      return schedule ? compositeResponse201(p.evseId, schedule) : { status: 'Rejected' };
    },
  };
}

function reservationAndAuthRequests() {
  return {
    // H01: without an EVSE, any free one is reserved (the station picks it).
    ReserveNow: (ctx: CommandContext201, p: T.ReserveNowRequest): T.ReserveNowResponse => {
      const free = (id: number) => {
        const v = ctx.model.view(id);
        return !(v.evPlugged || v.tx !== undefined || v.finishing || v.awaitingPlug);
      };
      const connector = p.evseId === undefined ? ctx.model.connectors.find((c) => free(c.id) && !ctx.model.availability.reservationOn(c.id))?.id : connectorOf(ctx, p.evseId);
      if (connector === undefined) return { status: 'Occupied' };
      if (p.evseId !== undefined && !validEvse(ctx, p.evseId)) return { status: 'Rejected' };
      const reservation = { id: p.id, connectorId: connector, idTag: p.idToken.idToken, expiresAt: Date.parse(p.expiryDateTime), ...(p.groupIdToken ? { parentIdTag: p.groupIdToken.idToken } : {}) };
      return { status: ctx.model.availability.reserve(reservation, !free(connector), ctx.model.now()) };
    },
    CancelReservation: (ctx: CommandContext201, p: T.CancelReservationRequest): T.CancelReservationResponse => ({ status: ctx.model.availability.cancel(p.reservationId) ? 'Accepted' : 'Rejected' }),
    // D01: 2.0.1 has no NotSupported here; a disabled list fails.
    SendLocalList: (ctx: CommandContext201, p: T.SendLocalListRequest): T.SendLocalListResponse => {
      if (!ctx.variables.bool('LocalAuthListCtrlr/Enabled')) return { status: 'Failed' };
      const entries = (p.localAuthorizationList ?? []).map((e) => ({ idTag: e.idToken.idToken, ...(e.idTokenInfo ? { info: toIdTagInfo201(e.idTokenInfo) } : {}) }));
      return { status: ctx.model.auth.update(p.versionNumber, p.updateType, entries) };
    },
    // D02: 0 when the station has no list.
    GetLocalListVersion: (ctx: CommandContext201): T.GetLocalListVersionResponse => ({ versionNumber: ctx.variables.bool('LocalAuthListCtrlr/Enabled') ? ctx.model.auth.listVersion : 0 }),
    ClearCache: (ctx: CommandContext201): T.ClearCacheResponse => {
      if (!ctx.variables.bool('AuthCacheCtrlr/Enabled')) return { status: 'Rejected' };
      ctx.model.auth.clearCache();
      return { status: 'Accepted' };
    },
  };
}

/** What the station holds about an idToken, as the lines of a report (a station keeps no other customer data). */
function customerReport(ctx: CommandContext201, p: T.CustomerInformationRequest): string[] {
  if (!p.idToken) return ['no data held for this customer'];
  const { list, cache } = ctx.model.auth.heldAbout(p.idToken.idToken);
  const evses = ctx.model.connectors.filter((c) => c.tx?.idTag === p.idToken!.idToken).map((c) => evseAddressOf(ctx.model.spec, c.id).evseId);
  return [`idToken ${p.idToken.idToken}: local list ${list?.status ?? 'none'}, `, `authorization cache ${cache?.status ?? 'none'}, `, `running transactions on EVSE ${evses.join(' ') || 'none'}`];
}

function customerRequests() {
  return {
    // N09/N10: the report comes after the answer; clearing forgets the idToken's cache entry.
    CustomerInformation: (ctx: CommandContext201, p: T.CustomerInformationRequest): T.CustomerInformationResponse => {
      if (!p.report && !p.clear) return { status: 'Invalid' };
      const report = p.report ? customerReport(ctx, p) : [];
      if (p.clear && p.idToken) ctx.model.auth.forget(p.idToken.idToken);
      if (p.report) ctx.later(() => ctx.sendCustomerInformation(p.requestId, report));
      return { status: 'Accepted' };
    },
  };
}
