import {
  DIMENSION_COUNT,
  ENERGY,
  FLAT,
  PARKING,
  selectComponents,
  TIME,
  type CompiledTariff,
} from './compiled-tariff.ts';
import { sumCosts } from './costs.ts';
import { ReservationState, type RestrictionContext } from './restrictions.ts';
import { localTimeAt } from './timezone.ts';
import type { PeriodAssignment, PeriodUsage, PricedSession, SessionUsage } from './usage.types.ts';

/** Where a dimension was last billed: the component and the period that step_size round-up goes to. */
interface LastBilled {
  componentId: number;
  periodIndex: number;
}

interface Accumulator {
  /** Billed quantity per component: 1 for a FLAT that applied, else mWh or ms. */
  qty: Float64Array;
  lastEnergy: LastBilled | undefined;
  /** Last TIME or PARKING_TIME billing: one step_size for both combined (OCPI 2.2.1 cdrs §10.3.1 step_size). */
  lastTime: (LastBilled & { dimension: number }) | undefined;
  lastReservation: LastBilled | undefined;
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
  if (t.boundaries.usesLocalTime) {
    const local = localTimeAt(usage.timeZone, atMs);
    ctx.day = local.day;
    ctx.msOfDay = local.msOfDay;
    ctx.isoWeekday = local.isoWeekday;
  }
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

function bill(acc: Accumulator, sel: Int32Array, p: PeriodUsage, periodIndex: number): PeriodAssignment {
  const a: PeriodAssignment = {
    startMs: p.startMs,
    flatElement: -1,
    energyElement: -1,
    timeElement: -1,
    parkingElement: -1,
    billedEnergyMwh: 0,
    billedChargingMs: 0,
    billedParkingMs: 0,
    billedReservationMs: 0,
  };
  const [flat, energy, time, parking] = sel;
  if (flat! >= 0) acc.qty[flat!] = 1; // a FLAT fee is due once per component that applied
  if (energy! >= 0 && p.energyMwh !== 0) {
    acc.qty[energy!]! += p.energyMwh;
    a.billedEnergyMwh = p.energyMwh;
    acc.lastEnergy = { componentId: energy!, periodIndex };
  }
  if (time! >= 0 && p.reservationMs > 0) {
    acc.qty[time!]! += p.reservationMs;
    a.billedReservationMs = p.reservationMs;
    acc.lastReservation = { componentId: time!, periodIndex };
  }
  if (time! >= 0 && p.chargingMs > 0) {
    acc.qty[time!]! += p.chargingMs;
    a.billedChargingMs = p.chargingMs;
    acc.lastTime = { componentId: time!, periodIndex, dimension: TIME };
  }
  // parking follows charging within a period, so it is the later time-based billing
  if (parking! >= 0 && p.parkingMs > 0) {
    acc.qty[parking!]! += p.parkingMs;
    a.billedParkingMs = p.parkingMs;
    acc.lastTime = { componentId: parking!, periodIndex, dimension: PARKING };
  }
  return a;
}

function setElements(t: CompiledTariff, a: PeriodAssignment, sel: Int32Array): void {
  const el = (id: number): number => (id < 0 ? -1 : t.components[id]!.elementIndex);
  a.flatElement = el(sel[FLAT]!);
  a.energyElement = el(sel[ENERGY]!);
  a.timeElement = el(sel[TIME]!);
  a.parkingElement = el(sel[PARKING]!);
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
    const isReservation = t.elements[c.elementIndex]!.restrictions.reservation !== ReservationState.None;
    if (c.dimension === dimension && isReservation === reservation) sum += acc.qty[c.id]!;
  }
  return sum;
}

/**
 * OCPI 2.2.1 cdrs §10.3.1 step_size and tariffs §11.4.2: step_size applies once per session, to the total
 * billed amount, using the step_size of the last component that billed it; the round-up is billed at that
 * component's price, in that period. ENERGY is one group; TIME and PARKING_TIME together are one group, of
 * which only the dimension billed last is rounded ("not rounded up, as it is followed by another time based
 * period"). Reservation time is rounded on its own (tariffs §11.4.2 examples 16 and 17).
 */
function applyStepSizes(t: CompiledTariff, acc: Accumulator): void {
  const credit = (last: LastBilled | undefined, total: number, field: keyof PeriodAssignment): void => {
    if (!last) return;
    const extra = roundUpExtra(total, t.components[last.componentId]!.stepUnits);
    if (extra === 0) return;
    acc.qty[last.componentId]! += extra;
    (acc.assignments[last.periodIndex]![field] as number) += extra;
  };
  credit(acc.lastEnergy, billedTotal(t, acc, ENERGY, false), 'billedEnergyMwh');
  const lt = acc.lastTime;
  if (lt) {
    const field = lt.dimension === TIME ? 'billedChargingMs' : 'billedParkingMs';
    credit(lt, billedTotal(t, acc, lt.dimension, false), field);
  }
  credit(acc.lastReservation, billedTotal(t, acc, TIME, true), 'billedReservationMs');
}

const selection = new Int32Array(DIMENSION_COUNT);

/**
 * Prices a session's charging periods against a compiled tariff. Restrictions are evaluated at the start
 * of each period (OCPI 2.2.1 cdrs §10.3.1: the CPO starts a new period whenever another component becomes
 * active); amounts are exact decimals, rounded half-up to the currency's minor unit only at the end.
 */
export function priceSession(t: CompiledTariff, usage: SessionUsage): PricedSession {
  const acc: Accumulator = {
    qty: new Float64Array(t.components.length),
    lastEnergy: undefined,
    lastTime: undefined,
    lastReservation: undefined,
    assignments: [],
  };
  const ctx = newContext();
  const totals = { energy: 0, charging: 0, parking: 0, reservation: 0 };
  for (let i = 0; i < usage.periods.length; i++) {
    const p = usage.periods[i]!;
    fillTimeContext(t, usage, ctx, p.startMs);
    fillPeriodContext(ctx, p, usage.reservationExpired);
    ctx.energyMwh = totals.energy;
    selectComponents(t, ctx, selection);
    const a = bill(acc, selection, p, i);
    setElements(t, a, selection);
    acc.assignments.push(a);
    totals.energy += p.energyMwh;
    totals.charging += p.chargingMs;
    totals.parking += p.parkingMs;
    totals.reservation += p.reservationMs;
  }
  applyStepSizes(t, acc);
  return {
    ...sumCosts(t, acc.qty),
    currency: t.currency,
    totalEnergyMwh: totals.energy,
    totalTimeMs: usage.endMs - usage.startMs,
    totalChargingMs: totals.charging,
    totalParkingMs: totals.parking,
    totalReservationMs: totals.reservation,
    periods: acc.assignments,
  };
}
