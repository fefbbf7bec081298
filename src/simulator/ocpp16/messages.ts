// Pure: translation between the neutral charger model and OCPP 1.6 payloads (types generated from the
// official schemas; type imports only, the simulator shares no code with the server).
import type { GetCompositeScheduleResponse, MeterValuesRequest, SetChargingProfileRequest, StatusNotificationRequest } from '../../ocpp/v16/types.ts';
import type { IdTagInfo } from '../model/authorization.ts';
import { modelProfile, type ChargingProfile, type ProfilePurpose } from '../model/charging-profiles.ts';
import type { CompositeSchedule } from '../model/composite-schedule.ts';
import type { ConnectorView, MeterSample } from '../model/types.ts';

export type ChargePointStatus = StatusNotificationRequest['status'];
type MeterValue = MeterValuesRequest['meterValue'][number];
type SampledValue = MeterValue['sampledValue'][number];
type CsChargingProfile = SetChargingProfileRequest['csChargingProfiles'];

/** OCPP 1.6 §4.9 ChargePointStatus of a connector, from its state. */
export function connectorStatus(v: ConnectorView): ChargePointStatus {
  if (v.faulted) return 'Faulted';
  if (v.tx) return v.chargingState ?? 'Charging';
  if (v.finishing) return 'Finishing';
  if (!v.operative) return 'Unavailable';
  if (v.evPlugged || v.awaitingPlug) return 'Preparing';
  if (v.reserved) return 'Reserved';
  return 'Available';
}

const iso = (ms: number) => new Date(ms).toISOString();
const PHASES = ['L1', 'L2', 'L3'] as const;
const VOLTAGE_PHASES = ['L1-N', 'L2-N', 'L3-N'] as const;

/**
 * One MeterValue of a sample with the measurands asked for (MeterValuesSampledData, StopTxnSampledData):
 * the register in Wh, the active power in W, the current per phase in A, the voltage per phase, the EV's SoC.
 */
export function meterValue(s: MeterSample, measurands: string[]): MeterValue {
  const context = s.context;
  const sampledValue: SampledValue[] = [];
  for (const m of measurands) {
    if (m === 'Energy.Active.Import.Register') sampledValue.push({ value: String(s.energyWh), context, measurand: m, location: 'Outlet', unit: 'Wh' });
    if (m === 'Power.Active.Import') sampledValue.push({ value: s.powerW.toFixed(0), context, measurand: m, location: 'Outlet', unit: 'W' });
    if (m === 'Current.Import') s.currentsA.forEach((a, i) => sampledValue.push({ value: a.toFixed(1), context, measurand: m, phase: PHASES[i], location: 'Outlet', unit: 'A' }));
    if (m === 'Voltage') s.currentsA.forEach((_, i) => sampledValue.push({ value: s.voltageV.toFixed(1), context, measurand: m, phase: VOLTAGE_PHASES[i], location: 'Outlet', unit: 'V' }));
    if (m === 'SoC' && s.socPct !== undefined) sampledValue.push({ value: Math.floor(s.socPct).toString(), context, measurand: m, location: 'EV', unit: 'Percent' });
  }
  // OCPP 1.6 MeterValue: it holds at least one sampled value; the register is always there to report.
  if (sampledValue.length === 0) sampledValue.push({ value: String(s.energyWh), context, measurand: 'Energy.Active.Import.Register', location: 'Outlet', unit: 'Wh' });
  return { timestamp: iso(s.at), sampledValue };
}

const PURPOSES: Record<CsChargingProfile['chargingProfilePurpose'], ProfilePurpose> = {
  ChargePointMaxProfile: 'ChargePointMax',
  TxDefaultProfile: 'TxDefault',
  TxProfile: 'Tx',
};

/** An OCPP 1.6 ChargingProfile as the model keeps it; `txRef` is the model's ref of its transactionId. */
export function toProfile(connectorId: number, p: CsChargingProfile, txRef: string | undefined, now: number): ChargingProfile {
  const { chargingProfileId: id, stackLevel, chargingProfilePurpose, chargingProfileKind: kind, recurrencyKind, validFrom, validTo, chargingSchedule: schedule } = p;
  return modelProfile({ id, connectorId, stackLevel, purpose: PURPOSES[chargingProfilePurpose], kind, recurrencyKind, validFrom, validTo, txRef, schedule }, now);
}

/** §5.7 GetCompositeSchedule.conf of a composite schedule. */
export function compositeResponse(connectorId: number, c: CompositeSchedule): GetCompositeScheduleResponse {
  return {
    status: 'Accepted',
    connectorId,
    scheduleStart: iso(c.startSchedule),
    chargingSchedule: { duration: c.durationSec, startSchedule: iso(c.startSchedule), chargingRateUnit: c.unit, chargingSchedulePeriod: c.periods },
  };
}

/** An IdTagInfo as the model keeps it. */
export function toIdTagInfo(info: { status: IdTagInfo['status']; parentIdTag?: string; expiryDate?: string }): IdTagInfo {
  return { status: info.status, ...(info.parentIdTag ? { parentIdTag: info.parentIdTag } : {}), ...(info.expiryDate ? { expiryDate: Date.parse(info.expiryDate) } : {}) };
}
