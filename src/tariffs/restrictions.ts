import type { DayOfWeek, TariffRestrictions } from './tariff.types.ts';

const DAY_MS = 86_400_000;

/** Reservation state of a charging period: not a reservation, a reservation, or an expired reservation. */
export const ReservationState = { None: 0, Reserved: 1, Expired: 2 } as const;
export type ReservationState = (typeof ReservationState)[keyof typeof ReservationState];

/**
 * What restrictions are evaluated against, at the start of a charging period. Local fields come from
 * `localTimeAt`. Unknown current/power are NaN: every comparison with NaN is false, so a current or power
 * restriction never holds for a period without that measurement (e.g. a parking period).
 */
export interface RestrictionContext {
  /** Local days since 1970-01-01. */
  day: number;
  msOfDay: number;
  /** 1 = Monday ... 7 = Sunday. */
  isoWeekday: number;
  /** Energy consumed in the session before this period, mWh. */
  energyMwh: number;
  /** Time since the session start, ms. */
  durationMs: number;
  /** Sum over phases, A; lowest and highest during the period. */
  minCurrent: number;
  maxCurrent: number;
  /** kW; lowest and highest during the period. */
  minPowerKw: number;
  maxPowerKw: number;
  reservation: ReservationState;
}

/** TariffRestrictions in the engine's units; absent bounds are ±Infinity so checks need no branches. */
export interface CompiledRestrictions {
  /** Local time-of-day window [startMs, endMs) in ms; wraps past midnight when endMs <= startMs. */
  hasTimeOfDay: boolean;
  startMs: number;
  endMs: number;
  /** Local day window [startDay, endDay). */
  startDay: number;
  endDay: number;
  minEnergyMwh: number;
  maxEnergyMwh: number;
  minCurrent: number;
  maxCurrent: number;
  minPowerKw: number;
  maxPowerKw: number;
  minDurationMs: number;
  maxDurationMs: number;
  /** Bit n set = ISO weekday n allowed; 0xff when unrestricted. */
  weekdayMask: number;
  reservation: ReservationState;
  /** Has a current or power restriction. */
  hasDynamic: boolean;
}

const WEEKDAYS: Record<DayOfWeek, number> = {
  MONDAY: 1,
  TUESDAY: 2,
  WEDNESDAY: 3,
  THURSDAY: 4,
  FRIDAY: 5,
  SATURDAY: 6,
  SUNDAY: 7,
};

/** "HH:MM" to ms since local midnight. */
export function parseTimeOfDay(hhmm: string): number {
  return (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * 60_000;
}

/** "YYYY-MM-DD" to days since 1970-01-01 (a calendar day, no zone). */
export function parseLocalDay(ymd: string): number {
  return Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)) - 1, Number(ymd.slice(8, 10))) / DAY_MS;
}

function orInf(v: number | undefined, scale: number, fallback: number): number {
  return v === undefined ? fallback : Math.round(v * scale);
}

/** Turns OCPI TariffRestrictions (already validated) into the engine's compiled form. */
export function compileRestrictions(r: TariffRestrictions | undefined): CompiledRestrictions {
  const hasTimeOfDay = r?.start_time !== undefined || r?.end_time !== undefined;
  const startMs = r?.start_time ? parseTimeOfDay(r.start_time) : 0;
  // OCPI 2.2.1 tariffs §11.4.6: end_time 00:00 stops at the end of the day
  const endRaw = r?.end_time ? parseTimeOfDay(r.end_time) : DAY_MS;
  const endMs = endRaw === 0 ? DAY_MS : endRaw;
  let weekdayMask = 0xff;
  if (r?.day_of_week && r.day_of_week.length > 0) {
    weekdayMask = 0;
    for (const d of r.day_of_week) weekdayMask |= 1 << WEEKDAYS[d];
  }
  const reservation =
    r?.reservation === 'RESERVATION'
      ? ReservationState.Reserved
      : r?.reservation === 'RESERVATION_EXPIRES'
        ? ReservationState.Expired
        : ReservationState.None;
  return {
    hasTimeOfDay,
    startMs,
    endMs,
    startDay: r?.start_date ? parseLocalDay(r.start_date) : -Infinity,
    endDay: r?.end_date ? parseLocalDay(r.end_date) : Infinity,
    minEnergyMwh: orInf(r?.min_kwh, 1e6, -Infinity),
    maxEnergyMwh: orInf(r?.max_kwh, 1e6, Infinity),
    minCurrent: r?.min_current ?? -Infinity,
    maxCurrent: r?.max_current ?? Infinity,
    minPowerKw: r?.min_power ?? -Infinity,
    maxPowerKw: r?.max_power ?? Infinity,
    minDurationMs: orInf(r?.min_duration, 1000, -Infinity),
    maxDurationMs: orInf(r?.max_duration, 1000, Infinity),
    weekdayMask,
    reservation,
    hasDynamic: [r?.min_current, r?.max_current, r?.min_power, r?.max_power].some((v) => v !== undefined),
  };
}

function isTimeOfDayMet(r: CompiledRestrictions, msOfDay: number): boolean {
  if (!r.hasTimeOfDay) return true;
  if (r.startMs < r.endMs) return msOfDay >= r.startMs && msOfDay < r.endMs;
  // OCPI 2.2.1 tariffs §11.4.6: end_time < start_time wraps around to the next day
  return msOfDay >= r.startMs || msOfDay < r.endMs;
}

function isReservationMet(r: CompiledRestrictions, state: ReservationState): boolean {
  // OCPI 2.2.1 tariffs §11.4.6 reservation: such an element describes reservation costs only, and
  // RESERVATION_EXPIRES (§11.4.3) applies only to a reservation that expired without a session.
  if (r.reservation === ReservationState.None) return state === ReservationState.None;
  if (r.reservation === ReservationState.Reserved) return state !== ReservationState.None;
  return state === ReservationState.Expired;
}

/**
 * The restrictions that depend only on local time, session duration, consumed energy and reservation
 * state: constant between two boundaries of `TariffBoundaries`, so callers may cache the result there.
 */
export function isStaticMet(r: CompiledRestrictions, ctx: RestrictionContext): boolean {
  return (
    isReservationMet(r, ctx.reservation) &&
    isTimeOfDayMet(r, ctx.msOfDay) &&
    ctx.day >= r.startDay &&
    ctx.day < r.endDay &&
    (r.weekdayMask & (1 << ctx.isoWeekday)) !== 0 &&
    ctx.energyMwh >= r.minEnergyMwh &&
    ctx.energyMwh < r.maxEnergyMwh &&
    ctx.durationMs >= r.minDurationMs &&
    ctx.durationMs < r.maxDurationMs
  );
}

/** The current and power restrictions, which can change with every meter value. */
export function isDynamicMet(r: CompiledRestrictions, ctx: RestrictionContext): boolean {
  return (
    !r.hasDynamic ||
    ((r.minCurrent === -Infinity || ctx.minCurrent >= r.minCurrent) &&
      (r.maxCurrent === Infinity || ctx.maxCurrent < r.maxCurrent) &&
      (r.minPowerKw === -Infinity || ctx.minPowerKw >= r.minPowerKw) &&
      (r.maxPowerKw === Infinity || ctx.maxPowerKw < r.maxPowerKw))
  );
}

/**
 * Whether all restrictions of an element hold (OCPI 2.2.1 tariffs §11.4.6: restrictions are ANDed).
 * Minimums are inclusive and maximums exclusive, as the spec defines each field.
 */
export function isRestrictionMet(r: CompiledRestrictions, ctx: RestrictionContext): boolean {
  return isStaticMet(r, ctx) && isDynamicMet(r, ctx);
}
