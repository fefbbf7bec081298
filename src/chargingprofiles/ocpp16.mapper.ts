import type { ClearChargingProfileRequest, ClearChargingProfileResponse, GetCompositeScheduleResponse, SetChargingProfileRequest, SetChargingProfileResponse } from '../ocpp/v16/types.ts';
import type {
  ActiveChargingProfileResult,
  ChargingProfileResult,
  ChargingRateUnit,
  ClearProfileResult,
  OcpiChargingProfile,
  ProfileChangeScope,
} from './chargingprofile.types.ts';

type CsChargingProfile = SetChargingProfileRequest['csChargingProfiles'];
type OcppSchedule = NonNullable<GetCompositeScheduleResponse['chargingSchedule']>;

/** The ids that tie an OCPI profile to the OCPP transaction it limits. */
export interface TxProfileIds {
  chargingProfileId: number;
  transactionId: number;
  stackLevel: number;
}

export type Converted<T> = { ok: true; value: T } | { ok: false; reason: string };

// OCPI 2.2.1 §14.6.3/§14.6.4 and OCPP 1.6 §7.13: rates have at most one decimal.
const oneDecimal = (n: number): number => Math.round(n * 10) / 10;

/** OCPI DateTime (UTC, Z) of an RFC 3339 timestamp, or undefined when it is not one. */
export function toOcpiDateTime(value: string): string | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * OCPI ChargingProfile → OCPP 1.6 csChargingProfiles, as a TxProfile of the session's transaction.
 * OCPI §14.6.3: with `start_date_time` the profile is absolute, without it relative to the start of
 * charging (OCPP 1.6 §7.14 Absolute / Relative). OCPP 1.6 §7.15: the first period starts at 0.
 */
export function toOcppTxProfile(p: OcpiChargingProfile, ids: TxProfileIds): Converted<CsChargingProfile> {
  const periods = [...(p.charging_profile_period ?? [])].sort((a, b) => a.start_period - b.start_period);
  if (periods.length === 0) return { ok: false, reason: 'charging_profile_period: at least one period is needed' };
  if (periods[0].start_period !== 0) return { ok: false, reason: 'charging_profile_period: the first period must start at 0' };
  if (periods.some((x, i) => x.limit < 0 || (i > 0 && x.start_period === periods[i - 1].start_period))) {
    return { ok: false, reason: 'charging_profile_period: limits must be positive and start periods distinct' };
  }
  if (p.duration !== undefined && p.duration <= 0) return { ok: false, reason: 'duration: must be positive' };
  const startSchedule = p.start_date_time === undefined ? undefined : toOcpiDateTime(p.start_date_time);
  const schedule: CsChargingProfile['chargingSchedule'] = {
    chargingRateUnit: p.charging_rate_unit,
    chargingSchedulePeriod: periods.map((x) => ({ startPeriod: x.start_period, limit: oneDecimal(x.limit) })),
  };
  if (p.duration !== undefined) schedule.duration = p.duration;
  if (startSchedule) schedule.startSchedule = startSchedule;
  if (p.min_charging_rate !== undefined) schedule.minChargingRate = oneDecimal(p.min_charging_rate);
  return {
    ok: true,
    value: {
      chargingProfileId: ids.chargingProfileId,
      transactionId: ids.transactionId,
      stackLevel: ids.stackLevel,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: startSchedule ? 'Absolute' : 'Relative',
      chargingSchedule: schedule,
    },
  };
}

/** OCPP 1.6 chargingSchedule → OCPI ChargingProfile (absolute when the schedule has a start). */
export function toOcpiChargingProfile(s: OcppSchedule): OcpiChargingProfile {
  const profile: OcpiChargingProfile = {
    charging_rate_unit: s.chargingRateUnit,
    charging_profile_period: s.chargingSchedulePeriod.map((x) => ({ start_period: x.startPeriod, limit: oneDecimal(x.limit) })),
  };
  const start = s.startSchedule === undefined ? undefined : toOcpiDateTime(s.startSchedule);
  if (start) profile.start_date_time = start;
  if (s.duration !== undefined) profile.duration = s.duration;
  if (s.minChargingRate !== undefined) profile.min_charging_rate = oneDecimal(s.minChargingRate);
  return profile;
}

export interface CompositeContext {
  /** When the request was made: the start of the schedule when the charger names none. */
  now: Date;
  /** The requested duration in seconds. */
  duration: number;
  /** The EVSE's maximum rate, reported when no profile limits the session. */
  maxRate: { unit: ChargingRateUnit; limit: number };
}

/**
 * OCPP 1.6 GetCompositeSchedule.conf → OCPI ActiveChargingProfileResult. OCPI §14.5.2 carries the
 * profile only when ACCEPTED; and (Sender interface, PUT method) with no profile active the
 * ActiveChargingProfile shows the EVSE's maximum capacity, so an empty composite schedule becomes that.
 */
export function toActiveChargingProfileResult(conf: GetCompositeScheduleResponse, ctx: CompositeContext): ActiveChargingProfileResult {
  if (conf.status !== 'Accepted') return { result: 'REJECTED' };
  const scheduleStart = conf.scheduleStart === undefined ? undefined : toOcpiDateTime(conf.scheduleStart);
  const start = scheduleStart ?? ctx.now.toISOString();
  const profile: OcpiChargingProfile = conf.chargingSchedule
    ? toOcpiChargingProfile(conf.chargingSchedule)
    : { charging_rate_unit: ctx.maxRate.unit, duration: ctx.duration, charging_profile_period: [{ start_period: 0, limit: ctx.maxRate.limit }] };
  return { result: 'ACCEPTED', profile: { start_date_time: start, charging_profile: profile } };
}

/** An OCPP 1.6 command and the charger's answer, both already validated against the 1.6 schemas. */
export interface AnsweredCommand {
  action: string;
  request: unknown;
  response: unknown;
}

/**
 * Where an accepted SetChargingProfile / ClearChargingProfile may have changed the composite schedule of
 * running transactions; undefined when the command changed no profile. OCPP 1.6 §3.13.1: a profile on
 * connector 0 is the whole charge point's and limits every connector; a TxProfile names its transaction.
 * §5.5 ClearChargingProfile: without connectorId (or by id alone) it may clear profiles on any connector.
 */
export function changedProfileScope(cmd: AnsweredCommand): Omit<ProfileChangeScope, 'chargePointId'> | undefined {
  if (cmd.action === 'SetChargingProfile') {
    const req = cmd.request as SetChargingProfileRequest;
    if ((cmd.response as SetChargingProfileResponse).status !== 'Accepted') return undefined;
    const txId = req.csChargingProfiles.chargingProfilePurpose === 'TxProfile' ? req.csChargingProfiles.transactionId : undefined;
    return { ...(req.connectorId > 0 ? { connectorNumber: req.connectorId } : {}), ...(txId === undefined ? {} : { transactionId: txId }) };
  }
  if (cmd.action === 'ClearChargingProfile') {
    const req = cmd.request as ClearChargingProfileRequest;
    if ((cmd.response as ClearChargingProfileResponse).status !== 'Accepted') return undefined;
    return req.id === undefined && req.connectorId !== undefined && req.connectorId > 0 ? { connectorNumber: req.connectorId } : {};
  }
  return undefined;
}

/** OCPP 1.6 §7.33 ChargingProfileStatus → OCPI ChargingProfileResult. */
export function toChargingProfileResult(status: 'Accepted' | 'Rejected' | 'NotSupported'): ChargingProfileResult {
  return { result: status === 'Accepted' ? 'ACCEPTED' : 'REJECTED' };
}

/** OCPP 1.6 §7.10 ClearChargingProfileStatus → OCPI ClearProfileResult (Unknown: no matching profile). */
export function toClearProfileResult(status: 'Accepted' | 'Unknown'): ClearProfileResult {
  return { result: status === 'Accepted' ? 'ACCEPTED' : 'UNKNOWN' };
}

export interface ConnectorRating {
  powerType: string;
  maxVoltage: number;
  maxAmperage: number;
  maxElectricPower: number | null;
}

/** Phases a connector charges on (OCPI 2.2.1 locations §8.4.23 PowerType). */
const phasesOf = (powerType: string): number => (powerType === 'AC_3_PHASE' ? 3 : 1);

/**
 * The EVSE's maximum rate from its connector's ratings (OCPI 2.2.1 locations §8.4.7 Connector), in
 * `unit`, by default amperes per phase for AC and watts for DC (OCPI §14.6.2 ChargingRateUnit advice).
 */
export function maxRateOf(c: ConnectorRating, unit?: ChargingRateUnit): CompositeContext['maxRate'] {
  const isAc = c.powerType.startsWith('AC');
  const watts = c.maxElectricPower ?? c.maxVoltage * c.maxAmperage * phasesOf(c.powerType);
  const wanted = unit ?? (isAc ? 'A' : 'W');
  if (wanted === 'W') return { unit: 'W', limit: watts };
  return { unit: 'A', limit: isAc ? c.maxAmperage : oneDecimal(watts / c.maxVoltage) };
}
