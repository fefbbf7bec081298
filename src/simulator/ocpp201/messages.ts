// Pure: translation between the neutral charger model and OCPP 2.0.1 payloads (types generated from the
// official schemas; type imports only, the simulator shares no code with the server). Each connector of the
// model is its own EVSE with one connector (EVSE n, connector 1), as most AC stations are.
import type * as T from '../../ocpp/v201/types.ts';
import type { AuthStatus, IdTagInfo } from '../model/authorization.ts';
import { modelProfile, type ChargingProfile, type ProfilePurpose } from '../model/charging-profiles.ts';
import type { CompositeSchedule } from '../model/composite-schedule.ts';
import type { ConnectorView, MeterSample, StopReason } from '../model/types.ts';

type SampledValue = T.SampledValueType;

/** OCPP 2.0.1 B/G: the ConnectorStatusEnumType of a connector (no Preparing/Finishing in 2.0.1: a plugged cable is Occupied). */
export function connectorStatus201(v: ConnectorView): T.ConnectorStatusEnumType {
  if (v.faulted) return 'Faulted';
  if (v.tx || v.evPlugged || v.finishing) return 'Occupied';
  // OCPP 2.0.1 Part 1 §2.2: one connector of an EVSE at a time; the others are Unavailable meanwhile.
  if (!v.operative || v.evseBusy) return 'Unavailable';
  if (v.reserved) return 'Reserved';
  return 'Available';
}

/** OCPP 2.0.1 E: the chargingState of a transaction (the EV is connected whenever the model runs one). */
export function chargingState201(v: ConnectorView): 'Charging' | 'EVConnected' | 'SuspendedEV' | 'SuspendedEVSE' | 'Idle' {
  if (!v.tx) return v.evPlugged ? 'EVConnected' : 'Idle';
  return v.chargingState ?? 'Charging';
}

const PHASES = ['L1', 'L2', 'L3'] as const;
const VOLTAGE_PHASES = ['L1-N', 'L2-N', 'L3-N'] as const;

/**
 * One MeterValueType of a sample with the measurands asked for (SampledDataCtrlr.TxUpdatedMeasurands and
 * TxEndedMeasurands): values are numbers in 2.0.1 and carry a unitOfMeasure instead of 1.6's unit.
 */
export function meterValue201(s: MeterSample, measurands: string[]): T.MeterValueType {
  const context = s.context;
  const sampledValue: SampledValue[] = [];
  const add = (value: number, measurand: T.MeasurandEnumType, unit: string, o: Partial<SampledValue> = {}) =>
    sampledValue.push({ value, context, measurand, location: 'Outlet', unitOfMeasure: { unit }, ...o });
  for (const m of measurands) {
    if (m === 'Energy.Active.Import.Register') add(s.energyWh, m, 'Wh');
    if (m === 'Power.Active.Import') add(Math.round(s.powerW), m, 'W');
    if (m === 'Current.Import') s.currentsA.forEach((a, i) => add(Math.round(a * 10) / 10, m, 'A', { phase: PHASES[i] }));
    if (m === 'Voltage') s.currentsA.forEach((_, i) => add(Math.round(s.voltageV * 10) / 10, m, 'V', { phase: VOLTAGE_PHASES[i] }));
    if (m === 'SoC' && s.socPct !== undefined) add(Math.floor(s.socPct), m, 'Percent', { location: 'EV' });
  }
  // A MeterValueType holds at least one sampled value; the register is always there to report.
  if (sampledValue.length === 0) add(s.energyWh, 'Energy.Active.Import.Register', 'Wh');
  return { timestamp: new Date(s.at).toISOString(), sampledValue: sampledValue as T.MeterValueType['sampledValue'] };
}

// OCPP 2.0.1 ReasonEnumType: 1.6's HardReset is ImmediateReset, a soft reset a Reboot; UnlockCommand is gone.
const STOPPED_REASON: Record<StopReason, T.ReasonEnumType> = {
  Local: 'Local', Remote: 'Remote', EVDisconnected: 'EVDisconnected', HardReset: 'ImmediateReset', SoftReset: 'Reboot',
  UnlockCommand: 'Other', DeAuthorized: 'DeAuthorized', Reboot: 'Reboot', PowerLoss: 'PowerLoss', Other: 'Other', EmergencyStop: 'EmergencyStop',
};

// OCPP 2.0.1 TriggerReasonEnumType of the Ended event, by why the transaction stopped.
const ENDED_TRIGGER: Record<StopReason, T.TriggerReasonEnumType> = {
  Local: 'StopAuthorized', Remote: 'RemoteStop', EVDisconnected: 'EVCommunicationLost', HardReset: 'ResetCommand', SoftReset: 'ResetCommand',
  UnlockCommand: 'UnlockCommand', DeAuthorized: 'Deauthorized', Reboot: 'ResetCommand', PowerLoss: 'AbnormalCondition', Other: 'AbnormalCondition', EmergencyStop: 'AbnormalCondition',
};

/** The stoppedReason and triggerReason of the TransactionEvent Ended for a stop of the model. */
export function endedReasons(reason: StopReason): { stoppedReason: T.ReasonEnumType; triggerReason: T.TriggerReasonEnumType } {
  return { stoppedReason: STOPPED_REASON[reason], triggerReason: ENDED_TRIGGER[reason] };
}

const MODEL_STATUS = new Set<string>(['Accepted', 'Blocked', 'Expired', 'ConcurrentTx']);

/** An IdTokenInfo as the model keeps it: the 2.0.1 statuses 1.6 does not know (NoCredit, Unknown…) refuse as Invalid. */
export function toIdTagInfo201(info: T.IdTokenInfoType): IdTagInfo {
  const status = (MODEL_STATUS.has(info.status) ? info.status : 'Invalid') as AuthStatus;
  return { status, ...(info.groupIdToken ? { parentIdTag: info.groupIdToken.idToken } : {}), ...(info.cacheExpiryDateTime ? { expiryDate: Date.parse(info.cacheExpiryDateTime) } : {}) };
}

const PURPOSES: Partial<Record<T.ChargingProfilePurposeEnumType, ProfilePurpose>> = {
  ChargingStationMaxProfile: 'ChargePointMax',
  TxDefaultProfile: 'TxDefault',
  TxProfile: 'Tx',
};
const PURPOSES_201 = { ChargePointMax: 'ChargingStationMaxProfile', TxDefault: 'TxDefaultProfile', Tx: 'TxProfile' } as const;

/** The model's purpose of a 2.0.1 one; undefined for ChargingStationExternalConstraints (set by the station only, K01 FR.22). */
export const purposeOf = (p: T.ChargingProfilePurposeEnumType): ProfilePurpose | undefined => PURPOSES[p];

/**
 * An OCPP 2.0.1 ChargingProfileType as the model keeps it, on `evseId` (0 = the station); `txRef` is the model's
 * ref of its transactionId. The first of its schedules is used (a station offering one schedule per profile,
 * SmartChargingCtrlr.ProfileStackLevel…; more are for ISO 15118 negotiation, K15).
 */
export function toProfile201(evseId: number, p: T.ChargingProfileType, txRef: string | undefined, now: number): ChargingProfile | undefined {
  const purpose = purposeOf(p.chargingProfilePurpose);
  if (!purpose) return undefined;
  const s = p.chargingSchedule[0];
  // The 2.0.1 period's other fields (phaseToUse) are not modelled.
  const periods = s.chargingSchedulePeriod.map((x) => ({ startPeriod: x.startPeriod, limit: x.limit, ...(x.numberPhases === undefined ? {} : { numberPhases: x.numberPhases }) }));
  const { chargingProfileKind: kind, recurrencyKind, validFrom, validTo, stackLevel, id } = p;
  return modelProfile({ id, connectorId: evseId, stackLevel, purpose, kind, recurrencyKind, validFrom, validTo, txRef, schedule: { ...s, chargingSchedulePeriod: periods } }, now);
}

/** A profile of the model as ReportChargingProfiles gives it (K09); `transactionId` is the station's id of its transaction. */
export function fromProfile201(p: ChargingProfile, transactionId: string | undefined): T.ChargingProfileType {
  const iso = (ms: number) => new Date(ms).toISOString();
  const s = p.schedule;
  const schedule: T.ChargingScheduleType = {
    id: p.id,
    chargingRateUnit: s.unit,
    chargingSchedulePeriod: s.periods.map((x) => ({ ...x })) as T.ChargingScheduleType['chargingSchedulePeriod'],
    ...(s.startSchedule !== undefined ? { startSchedule: iso(s.startSchedule) } : {}),
    ...(s.durationSec !== undefined ? { duration: s.durationSec } : {}),
    ...(s.minChargingRate !== undefined ? { minChargingRate: s.minChargingRate } : {}),
  };
  return {
    id: p.id,
    stackLevel: p.stackLevel,
    chargingProfilePurpose: PURPOSES_201[p.purpose],
    chargingProfileKind: p.kind,
    ...(p.recurrency ? { recurrencyKind: p.recurrency } : {}),
    ...(p.validFrom !== undefined ? { validFrom: iso(p.validFrom) } : {}),
    ...(p.validTo !== undefined ? { validTo: iso(p.validTo) } : {}),
    ...(transactionId ? { transactionId } : {}),
    chargingSchedule: [schedule],
  };
}

/** OCPP 2.0.1 K08 GetCompositeScheduleResponse of a composite schedule. */
export function compositeResponse201(evseId: number, c: CompositeSchedule): T.GetCompositeScheduleResponse {
  return {
    status: 'Accepted',
    schedule: { evseId, duration: c.durationSec, scheduleStart: new Date(c.startSchedule).toISOString(), chargingRateUnit: c.unit, chargingSchedulePeriod: c.periods as T.CompositeScheduleType['chargingSchedulePeriod'] },
  };
}
