// Pure: charging profiles as a charger keeps them, and the limit they impose at a moment, following
// OCPP 1.6 §3.13 (Smart Charging). Protocol-neutral: an adapter converts its version's profiles to these
// (OCPP 2.0.1 has the same purposes under other names and the same stacking rule). Times are epoch ms.

export type ProfilePurpose = 'ChargePointMax' | 'TxDefault' | 'Tx';
export type RateUnit = 'A' | 'W';

export interface SchedulePeriod {
  /** seconds from the start of the schedule */
  startPeriod: number;
  limit: number;
  numberPhases?: number;
}

export interface ChargingSchedule {
  unit: RateUnit;
  periods: SchedulePeriod[];
  startSchedule?: number;
  durationSec?: number;
  minChargingRate?: number;
}

export interface ChargingProfile {
  id: number;
  /** 0 = the whole charger */
  connectorId: number;
  stackLevel: number;
  purpose: ProfilePurpose;
  kind: 'Absolute' | 'Recurring' | 'Relative';
  recurrency?: 'Daily' | 'Weekly';
  validFrom?: number;
  validTo?: number;
  /** A TxProfile's transaction (the charger's own reference); undefined = the connector's running one */
  txRef?: string;
  schedule: ChargingSchedule;
  /** When the charger received it: the start of an Absolute schedule without startSchedule */
  installedAt: number;
}

/** The fields OCPP 1.6 and 2.0.1 profiles share, as their messages carry them (times as date-time strings). */
export interface ProfileFields {
  id: number;
  connectorId: number;
  stackLevel: number;
  purpose: ProfilePurpose;
  kind: ChargingProfile['kind'];
  recurrencyKind?: ChargingProfile['recurrency'];
  validFrom?: string;
  validTo?: string;
  txRef?: string;
  schedule: { chargingRateUnit: RateUnit; chargingSchedulePeriod: SchedulePeriod[]; startSchedule?: string; duration?: number; minChargingRate?: number };
}

/** A profile as the model keeps it: times in epoch ms, periods in order of their start. */
export function modelProfile(f: ProfileFields, now: number): ChargingProfile {
  const s = f.schedule;
  return {
    id: f.id,
    connectorId: f.connectorId,
    stackLevel: f.stackLevel,
    purpose: f.purpose,
    kind: f.kind,
    ...(f.recurrencyKind ? { recurrency: f.recurrencyKind } : {}),
    ...(f.validFrom ? { validFrom: Date.parse(f.validFrom) } : {}),
    ...(f.validTo ? { validTo: Date.parse(f.validTo) } : {}),
    ...(f.txRef ? { txRef: f.txRef } : {}),
    schedule: {
      unit: s.chargingRateUnit,
      periods: [...s.chargingSchedulePeriod].sort((a, b) => a.startPeriod - b.startPeriod),
      ...(s.startSchedule ? { startSchedule: Date.parse(s.startSchedule) } : {}),
      ...(s.duration !== undefined ? { durationSec: s.duration } : {}),
      ...(s.minChargingRate !== undefined ? { minChargingRate: s.minChargingRate } : {}),
    },
    installedAt: now,
  };
}

export interface Limit {
  value: number;
  unit: RateUnit;
  numberPhases?: number;
}

/** The transaction a limit is asked for: a TxProfile must name it, a Relative schedule starts with it. */
export interface TxContext {
  ref: string;
  startedAt: number;
}

const DAY_MS = 86_400_000;

/**
 * Start of the schedule occurrence in force at `at`, or undefined before the first. OCPP 1.6
 * ChargingProfileKindType: Absolute starts at startSchedule, Recurring repeats it every day or week,
 * Relative starts with the transaction (`relativeStart`).
 */
function scheduleStart(p: ChargingProfile, at: number, relativeStart: number): number | undefined {
  if (p.kind === 'Relative') return relativeStart;
  const start = p.schedule.startSchedule ?? p.installedAt;
  if (p.kind === 'Absolute') return start;
  const every = p.recurrency === 'Weekly' ? 7 * DAY_MS : DAY_MS;
  if (at < start) return undefined;
  return start + Math.floor((at - start) / every) * every;
}

/** The limit `p` sets at `at`, or undefined when it is not valid or its schedule has no period then. */
export function limitOf(p: ChargingProfile, at: number, relativeStart: number): Limit | undefined {
  if ((p.validFrom !== undefined && at < p.validFrom) || (p.validTo !== undefined && at >= p.validTo)) return undefined;
  const start = scheduleStart(p, at, relativeStart);
  if (start === undefined || at < start) return undefined;
  const offsetSec = (at - start) / 1000;
  if (p.schedule.durationSec !== undefined && offsetSec >= p.schedule.durationSec) return undefined;
  let period: SchedulePeriod | undefined;
  for (const candidate of p.schedule.periods) if (candidate.startPeriod <= offsetSec) period = candidate;
  return period && { value: period.limit, unit: p.schedule.unit, ...(period.numberPhases === undefined ? {} : { numberPhases: period.numberPhases }) };
}

/**
 * OCPP 1.6 §3.13.2 stacking: of the profiles of one purpose, the one with the highest stackLevel that has a
 * limit at `at` prevails; when its schedule has ended (duration elapsed) the next lower one applies.
 */
export function prevailingLimit(profiles: ChargingProfile[], at: number, relativeStart: number): Limit | undefined {
  let best: { level: number; limit: Limit } | undefined;
  for (const p of profiles) {
    if (best && p.stackLevel <= best.level) continue;
    const limit = limitOf(p, at, relativeStart);
    if (limit) best = { level: p.stackLevel, limit };
  }
  return best?.limit;
}

export interface ConnectorLimits {
  /** the whole charger's limit, shared by its connectors */
  chargePointMax?: Limit;
  /** the transaction's own limit (TxProfile, else TxDefaultProfile) */
  tx?: Limit;
}

/**
 * The limits on `connectorId` at `at` (OCPP 1.6 §3.13.1): ChargePointMaxProfile (connector 0) caps the
 * charger; a TxProfile of the running transaction overrules the TxDefaultProfiles; a TxDefaultProfile on the
 * connector overrules one on connector 0. Without a transaction the TxDefaultProfiles apply, starting at `at`.
 */
export function limitsAt(profiles: ChargingProfile[], connectorId: number, at: number, tx?: TxContext): ConnectorLimits {
  const relativeStart = tx?.startedAt ?? at;
  const of = (purpose: ProfilePurpose, onConnector: number) => profiles.filter((p) => p.purpose === purpose && p.connectorId === onConnector);
  const chargePointMax = prevailingLimit(of('ChargePointMax', 0), at, relativeStart);
  const txProfiles = tx ? of('Tx', connectorId).filter((p) => p.txRef === undefined || p.txRef === tx.ref) : [];
  const txLimit =
    prevailingLimit(txProfiles, at, relativeStart) ??
    (connectorId > 0 ? prevailingLimit(of('TxDefault', connectorId), at, relativeStart) : undefined) ??
    prevailingLimit(of('TxDefault', 0), at, relativeStart);
  return { ...(chargePointMax ? { chargePointMax } : {}), ...(txLimit ? { tx: txLimit } : {}) };
}

/**
 * Current per phase a limit allows on `phases` phases. OCPP 1.6 ChargingSchedule: a limit in A is per phase; one in W
 * is the total power, spread over the phases in use.
 */
export function ampsPerPhase(limit: Limit, voltage: number, phases: number): number {
  return limit.unit === 'A' ? limit.value : limit.value / (voltage * phases);
}

/** Phases a limit lets the charger use (OCPP 1.6 ChargingSchedulePeriod.numberPhases, 3 when absent). */
export function phasesAllowed(limits: ConnectorLimits, hardwarePhases: number): number {
  return Math.min(hardwarePhases, limits.tx?.numberPhases ?? 3, limits.chargePointMax?.numberPhases ?? 3);
}

/**
 * OCPP 1.6 §5.16 SetChargingProfile: a profile with the same id, or of the same purpose and stackLevel on
 * the same connector, replaces the one stored. Returns the new list.
 */
export function installProfile(profiles: ChargingProfile[], p: ChargingProfile): ChargingProfile[] {
  const replaced = (q: ChargingProfile) => q.id === p.id || (q.purpose === p.purpose && q.stackLevel === p.stackLevel && q.connectorId === p.connectorId);
  return [...profiles.filter((q) => !replaced(q)), p];
}

export interface ClearCriteria {
  id?: number;
  connectorId?: number;
  purpose?: ProfilePurpose;
  stackLevel?: number;
}

/** OCPP 1.6 §5.5 ClearChargingProfile: by id, or by every criterion given; returns what is kept. */
export function clearProfiles(profiles: ChargingProfile[], c: ClearCriteria): { kept: ChargingProfile[]; cleared: number } {
  const matches = (p: ChargingProfile) =>
    c.id !== undefined
      ? p.id === c.id
      : (c.connectorId === undefined || p.connectorId === c.connectorId) && (c.purpose === undefined || p.purpose === c.purpose) && (c.stackLevel === undefined || p.stackLevel === c.stackLevel);
  const kept = profiles.filter((p) => !matches(p));
  return { kept, cleared: profiles.length - kept.length };
}
