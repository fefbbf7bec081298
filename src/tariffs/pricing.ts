import {
  DIMENSION_COUNT,
  ENERGY,
  FLAT,
  PARKING,
  evaluateStatic,
  selectComponents,
  TIME,
  type CompiledTariff,
} from './compiled-tariff.ts';
import { sumCosts } from './costs.ts';
import { ReservationState, type RestrictionContext } from './restrictions.ts';
import { fillLocalTime } from './timezone.ts';
import type { PeriodAssignment, PeriodUsage, PricedSession, SessionUsage } from './usage.types.ts';

/**
 * Billed quantities, plus where each step_size group was last billed: the component and the period that
 * a round-up goes to (-1: not billed). Plain numbers, so the hot loop allocates nothing but assignments.
 */
interface Accumulator {
  /** Billed quantity per component: 1 for a FLAT that applied, else mWh or ms. */
  qty: Float64Array;
  energyComponent: number;
  energyPeriod: number;
  /** Last TIME or PARKING_TIME billing: one step_size for both combined (OCPI 2.2.1 cdrs §10.3.1 step_size). */
  timeComponent: number;
  timePeriod: number;
  timeDimension: number;
  reservationComponent: number;
  reservationPeriod: number;
  assignments: PeriodAssignment[];
}

export function newContext(): RestrictionContext {
  return {
    day: 0,
    msOfDay: 0,
    isoWeekday: 1,
    energyMwh: 0,
    durationMs: 0,
    minCurrent: NaN,
    maxCurrent: NaN,
    minPowerKw: NaN,
    maxPowerKw: NaN,
    reservation: ReservationState.None,
  };
}

/** Fills `ctx` with the state at `atMs`; local time is computed only when the tariff restricts on it. */
export function fillTimeContext(t: CompiledTariff, usage: SessionUsage, ctx: RestrictionContext, atMs: number): void {
  if (t.boundaries.usesLocalTime) fillLocalTime(usage.timeZone, atMs, ctx);
  ctx.durationMs = atMs - usage.startMs;
}

function fillPeriodContext(ctx: RestrictionContext, p: PeriodUsage, expired: boolean): void {
  ctx.minCurrent = p.minCurrent;
  ctx.maxCurrent = p.maxCurrent;
  ctx.minPowerKw = p.minPowerKw;
  ctx.maxPowerKw = p.maxPowerKw;
  ctx.reservation =
    p.reservationMs > 0 ? (expired ? ReservationState.Expired : ReservationState.Reserved) : ReservationState.None;
}

function elementOf(t: CompiledTariff, componentId: number): number {
  return componentId < 0 ? -1 : t.components[componentId]!.elementIndex;
}

function bill(t: CompiledTariff, acc: Accumulator, sel: Int32Array, p: PeriodUsage, periodIndex: number): void {
  const flat = sel[FLAT]!;
  const energy = sel[ENERGY]!;
  const time = sel[TIME]!;
  const parking = sel[PARKING]!;
  const a: PeriodAssignment = {
    startMs: p.startMs,
    flatElement: elementOf(t, flat),
    energyElement: elementOf(t, energy),
    timeElement: elementOf(t, time),
    parkingElement: elementOf(t, parking),
    billedEnergyMwh: 0,
    billedChargingMs: 0,
    billedParkingMs: 0,
    billedReservationMs: 0,
  };
  acc.assignments.push(a);
  if (flat >= 0) acc.qty[flat] = 1; // a FLAT fee is due once per component that applied
  if (energy >= 0 && p.energyMwh !== 0) {
    acc.qty[energy]! += a.billedEnergyMwh = p.energyMwh;
    acc.energyComponent = energy;
    acc.energyPeriod = periodIndex;
  }
  if (time >= 0 && p.reservationMs > 0) {
    acc.qty[time]! += a.billedReservationMs = p.reservationMs;
    acc.reservationComponent = time;
    acc.reservationPeriod = periodIndex;
  }
  if (time >= 0 && p.chargingMs > 0) {
    acc.qty[time]! += a.billedChargingMs = p.chargingMs;
    acc.timeComponent = time;
    acc.timePeriod = periodIndex;
    acc.timeDimension = TIME;
  }
  // parking follows charging within a period, so it is the later time-based billing
  if (parking >= 0 && p.parkingMs > 0) {
    acc.qty[parking]! += a.billedParkingMs = p.parkingMs;
    acc.timeComponent = parking;
    acc.timePeriod = periodIndex;
    acc.timeDimension = PARKING;
  }
}

/** Rounds `total` up to a multiple of `step` (no rounding for step 0) and returns the added amount. */
function roundUpExtra(total: number, step: number): number {
  if (step <= 0 || total <= 0) return 0;
  return Math.ceil(total / step) * step - total;
}

/** Sum of billed quantities over the components of one dimension, reservation components separately. */
function billedTotal(t: CompiledTariff, acc: Accumulator, dimension: number, reservation: boolean): number {
  let sum = 0;
  for (const c of t.components) {
    if (c.dimension === dimension && c.isReservation === reservation) sum += acc.qty[c.id]!;
  }
  return sum;
}

/** Bills the step_size round-up of one group at its last component, in its last period; returns it. */
function creditStep(t: CompiledTariff, acc: Accumulator, componentId: number, total: number): number {
  if (componentId < 0) return 0;
  const extra = roundUpExtra(total, t.components[componentId]!.stepUnits);
  acc.qty[componentId]! += extra;
  return extra;
}

/**
 * OCPI 2.2.1 cdrs §10.3.1 step_size and tariffs §11.4.2: step_size applies once per session, to the total
 * billed amount, using the step_size of the last component that billed it; the round-up is billed at that
 * component's price, in that period. ENERGY is one group; TIME and PARKING_TIME together are one group, of
 * which only the dimension billed last is rounded ("not rounded up, as it is followed by another time based
 * period"). Reservation time is rounded on its own (tariffs §11.4.2 examples 16 and 17).
 */
function applyStepSizes(t: CompiledTariff, acc: Accumulator): void {
  const energyExtra = creditStep(t, acc, acc.energyComponent, billedTotal(t, acc, ENERGY, false));
  if (energyExtra > 0) acc.assignments[acc.energyPeriod]!.billedEnergyMwh += energyExtra;
  const dim = acc.timeDimension;
  const timeExtra = creditStep(t, acc, acc.timeComponent, billedTotal(t, acc, dim, false));
  if (timeExtra > 0 && dim === TIME) acc.assignments[acc.timePeriod]!.billedChargingMs += timeExtra;
  if (timeExtra > 0 && dim === PARKING) acc.assignments[acc.timePeriod]!.billedParkingMs += timeExtra;
  const resExtra = creditStep(t, acc, acc.reservationComponent, billedTotal(t, acc, TIME, true));
  if (resExtra > 0) acc.assignments[acc.reservationPeriod]!.billedReservationMs += resExtra;
}

const selection = new Int32Array(DIMENSION_COUNT);

function newAccumulator(t: CompiledTariff): Accumulator {
  return {
    qty: new Float64Array(t.components.length),
    energyComponent: -1,
    energyPeriod: -1,
    timeComponent: -1,
    timePeriod: -1,
    timeDimension: TIME,
    reservationComponent: -1,
    reservationPeriod: -1,
    assignments: [],
  };
}

/**
 * Prices a session's charging periods against a compiled tariff. Restrictions are evaluated at the start
 * of each period (OCPI 2.2.1 cdrs §10.3.1: the CPO starts a new period whenever another component becomes
 * active); amounts are exact decimals, rounded half-up to the currency's minor unit only at the end.
 */
export function priceSession(t: CompiledTariff, usage: SessionUsage): PricedSession {
  const acc = newAccumulator(t);
  const ctx = newContext();
  const staticMet = new Int8Array(t.elements.length);
  const totals = { energy: 0, charging: 0, parking: 0, reservation: 0 };
  for (let i = 0; i < usage.periods.length; i++) {
    const p = usage.periods[i]!;
    fillTimeContext(t, usage, ctx, p.startMs);
    fillPeriodContext(ctx, p, usage.reservationExpired);
    ctx.energyMwh = totals.energy;
    evaluateStatic(t, ctx, staticMet);
    selectComponents(t, ctx, staticMet, selection);
    bill(t, acc, selection, p, i);
    totals.energy += p.energyMwh;
    totals.charging += p.chargingMs;
    totals.parking += p.parkingMs;
    totals.reservation += p.reservationMs;
  }
  applyStepSizes(t, acc);
  const costs = sumCosts(t, acc.qty); // assigned field by field: object spread is slow in this hot path
  return {
    currency: t.currency,
    totalCost: costs.totalCost,
    totalFixedCost: costs.totalFixedCost,
    totalEnergyCost: costs.totalEnergyCost,
    totalTimeCost: costs.totalTimeCost,
    totalParkingCost: costs.totalParkingCost,
    totalReservationCost: costs.totalReservationCost,
    limitApplied: costs.limitApplied,
    totalEnergyMwh: totals.energy,
    totalTimeMs: usage.endMs - usage.startMs,
    totalChargingMs: totals.charging,
    totalParkingMs: totals.parking,
    totalReservationMs: totals.reservation,
    periods: acc.assignments,
  };
}
