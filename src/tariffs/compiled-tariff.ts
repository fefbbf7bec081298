import { currencyDecimals, Decimal } from '../shared/money.ts';
import {
  compileRestrictions,
  isDynamicMet,
  isStaticMet,
  ReservationState,
  type CompiledRestrictions,
  type RestrictionContext,
} from './restrictions.ts';
import type { Price, Tariff, TariffDimensionType } from './tariff.types.ts';

/** Dimension slots used in arrays throughout the engine. */
export const FLAT = 0;
export const ENERGY = 1;
export const TIME = 2;
export const PARKING = 3;
export const DIMENSION_COUNT = 4;

const DIMENSION_SLOT: Record<TariffDimensionType, number> = { FLAT, ENERGY, TIME, PARKING_TIME: PARKING };

/** A price component in engine units: `stepUnits` is in mWh (ENERGY) or ms (TIME, PARKING_TIME). */
export interface CompiledComponent {
  /** Index in `CompiledTariff.components`. */
  id: number;
  elementIndex: number;
  dimension: number;
  price: Decimal;
  /** 1 + vat/100, or undefined when the component has no VAT. */
  vatFactor: Decimal | undefined;
  stepUnits: number;
  /** Belongs to an element with a reservation restriction (costs go to total_reservation_cost). */
  isReservation: boolean;
}

export interface CompiledElement {
  restrictions: CompiledRestrictions;
  /** Per dimension slot: the element's component for it (the first one if listed twice), or undefined. */
  components: (CompiledComponent | undefined)[];
}

export interface PriceLimit {
  exclVat: Decimal;
  inclVat: Decimal | undefined;
}

/** Restriction thresholds where the applicable element can change, for splitting charging periods. */
export interface TariffBoundaries {
  /** Local times of day (ms after midnight); includes 0 when dates or weekdays are restricted. */
  msOfDay: number[];
  durationsMs: number[];
  energiesMwh: number[];
  usesLocalTime: boolean;
  /**
   * Finite min/max power (kW) and current (A) bounds of all elements, sorted: between two neighbours every
   * current/power restriction has the same result, so a selection can be reused there.
   */
  powersKw: number[];
  currents: number[];
}

export interface CompiledTariff {
  tariff: Tariff;
  currency: string;
  currencyDecimals: number;
  elements: CompiledElement[];
  components: CompiledComponent[];
  /** Per dimension slot, element indices carrying that dimension, in tariff order. */
  lookup: number[][];
  /** As `lookup`, but RESERVATION_EXPIRES elements first (§11.4.3 note: they win for expired reservations). */
  expiredLookup: number[][];
  /** Per dimension slot, bit i set when element i (< 31) carries that dimension. */
  dimensionMasks: number[];
  /** Per dimension slot and element index, the component id (or -1). */
  componentIds: Int32Array[];
  minPrice: PriceLimit | undefined;
  maxPrice: PriceLimit | undefined;
  boundaries: TariffBoundaries;
}

const compiledCache = new WeakMap<Tariff, CompiledTariff>();

function compileLimit(p: Price | undefined): PriceLimit | undefined {
  if (!p) return undefined;
  return {
    exclVat: Decimal.parse(p.excl_vat),
    inclVat: p.incl_vat === undefined ? undefined : Decimal.parse(p.incl_vat),
  };
}

function vatFactor(vat: number | undefined): Decimal | undefined {
  if (vat === undefined) return undefined;
  const v = Decimal.parse(vat);
  // 1 + vat/100, exactly
  return new Decimal(v.units + 100n * 10n ** BigInt(v.scale), v.scale + 2);
}

function compileElements(tariff: Tariff): { elements: CompiledElement[]; components: CompiledComponent[] } {
  const components: CompiledComponent[] = [];
  const elements = tariff.elements.map((el, elementIndex) => {
    const slots: (CompiledComponent | undefined)[] = [undefined, undefined, undefined, undefined];
    for (const pc of el.price_components) {
      const dimension = DIMENSION_SLOT[pc.type];
      if (slots[dimension]) continue; // OCPI 2.2.1 tariffs §11.3.1: one component per dimension is active
      const c: CompiledComponent = {
        id: components.length,
        elementIndex,
        dimension,
        price: Decimal.parse(pc.price),
        vatFactor: vatFactor(pc.vat),
        stepUnits: dimension === FLAT ? 0 : Math.max(0, Math.round(pc.step_size)) * 1000,
        isReservation: el.restrictions?.reservation !== undefined,
      };
      components.push(c);
      slots[dimension] = c;
    }
    return { restrictions: compileRestrictions(el.restrictions), components: slots };
  });
  return { elements, components };
}

function collectBoundaries(elements: CompiledElement[]): TariffBoundaries {
  const msOfDay = new Set<number>();
  const durations = new Set<number>();
  const energies = new Set<number>();
  const powers = new Set<number>();
  const currents = new Set<number>();
  for (const el of elements) {
    const r = el.restrictions;
    if (r.hasTimeOfDay) msOfDay.add(r.startMs % 86_400_000).add(r.endMs % 86_400_000);
    if (r.weekdayMask !== 0xff || r.startDay !== -Infinity || r.endDay !== Infinity) msOfDay.add(0);
    for (const d of [r.minDurationMs, r.maxDurationMs]) if (Number.isFinite(d)) durations.add(d);
    for (const e of [r.minEnergyMwh, r.maxEnergyMwh]) if (Number.isFinite(e)) energies.add(e);
    for (const p of [r.minPowerKw, r.maxPowerKw]) if (Number.isFinite(p)) powers.add(p);
    for (const c of [r.minCurrent, r.maxCurrent]) if (Number.isFinite(c)) currents.add(c);
  }
  const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
  return {
    msOfDay: sorted(msOfDay),
    durationsMs: sorted(durations),
    energiesMwh: sorted(energies),
    usesLocalTime: msOfDay.size > 0,
    powersKw: sorted(powers),
    currents: sorted(currents),
  };
}

function buildLookups(elements: CompiledElement[]): { lookup: number[][]; expiredLookup: number[][] } {
  const lookup: number[][] = [];
  const expiredLookup: number[][] = [];
  for (let d = 0; d < DIMENSION_COUNT; d++) {
    const list = elements.flatMap((el, i) => (el.components[d] ? [i] : []));
    const isExpires = (i: number): boolean => elements[i]!.restrictions.reservation === ReservationState.Expired;
    lookup.push(list);
    expiredLookup.push([...list.filter(isExpires), ...list.filter((i) => !isExpires(i))]);
  }
  return { lookup, expiredLookup };
}

/**
 * Compiles a validated OCPI tariff once (memoised per tariff object) into the form the engine prices with.
 */
export function compileTariff(tariff: Tariff): CompiledTariff {
  const cached = compiledCache.get(tariff);
  if (cached) return cached;
  const { elements, components } = compileElements(tariff);
  const compiled: CompiledTariff = {
    tariff,
    currency: tariff.currency,
    currencyDecimals: currencyDecimals(tariff.currency),
    elements,
    components,
    ...buildLookups(elements),
    dimensionMasks: [0, 1, 2, 3].map((d) => elements.reduce((m, el, i) => (el.components[d] && i < 31 ? m | (1 << i) : m), 0)),
    componentIds: [0, 1, 2, 3].map((d) => Int32Array.from(elements, (el) => el.components[d]?.id ?? -1)),
    minPrice: compileLimit(tariff.min_price),
    maxPrice: compileLimit(tariff.max_price),
    boundaries: collectBoundaries(elements),
  };
  compiledCache.set(tariff, compiled);
  return compiled;
}

/**
 * Evaluates the static part of every element's restrictions (see `isStaticMet`) into `out`: 1 = holds.
 */
export function evaluateStatic(t: CompiledTariff, ctx: RestrictionContext, out: Int8Array): void {
  for (let i = 0; i < t.elements.length; i++) out[i] = isStaticMet(t.elements[i]!.restrictions, ctx) ? 1 : 0;
}

/**
 * Picks the active price component per dimension (OCPI 2.2.1 tariffs §11.3.1: the first element in the
 * list that has a component for that dimension and whose restrictions hold), given the static results of
 * `evaluateStatic` for the same context. Writes component ids, or -1 for a dimension with no active
 * component (no cost), into `out`, and returns a number that is equal for two contexts exactly when they
 * select the same components.
 */
export function selectComponents(t: CompiledTariff, ctx: RestrictionContext, staticMet: Int8Array, out: Int32Array): number {
  if (ctx.reservation === ReservationState.Expired || t.elements.length > 31) {
    return selectInOrder(t, ctx, staticMet, out);
  }
  // Bit i of `met`: element i holds. The first element in tariff order with a dimension is then the
  // lowest set bit of met & dimensionMask.
  let met = 0;
  for (let i = 0; i < t.elements.length; i++) {
    if (staticMet[i] === 1 && isDynamicMet(t.elements[i]!.restrictions, ctx)) met |= 1 << i;
  }
  const n = t.components.length + 1;
  let key = 0;
  for (let d = 0; d < DIMENSION_COUNT; d++) {
    const m = met & t.dimensionMasks[d]!;
    const chosen = m === 0 ? -1 : t.componentIds[d]![31 - Math.clz32(m & -m)]!;
    out[d] = chosen;
    key = key * n + chosen + 1;
  }
  return key;
}

/** `selectComponents` by walking the lookup lists (expired reservations, or more than 31 elements). */
function selectInOrder(t: CompiledTariff, ctx: RestrictionContext, staticMet: Int8Array, out: Int32Array): number {
  const lookup = ctx.reservation === ReservationState.Expired ? t.expiredLookup : t.lookup;
  const n = t.components.length + 1;
  let key = 0;
  for (let d = 0; d < DIMENSION_COUNT; d++) {
    let chosen = -1;
    for (const i of lookup[d]!) {
      const el = t.elements[i]!;
      if (staticMet[i] === 1 && isDynamicMet(el.restrictions, ctx)) {
        chosen = el.components[d]!.id;
        break;
      }
    }
    out[d] = chosen;
    key = key * n + chosen + 1;
  }
  return key;
}

/**
 * The last selection's key, and the power/current bands it holds for: between two neighbouring power
 * (current) bounds of the tariff (`TariffBoundaries.powersKw`, `currents`) every power (current)
 * restriction gives the same result, so while the static results (`staticVersion`) and both bands are
 * unchanged the selection is the same and need not be recomputed. A NaN band (lo = NaN) holds for NaN
 * only. For contexts whose min and max power are one value, and so for current (one meter interval).
 */
export interface SelectionMemo {
  staticVersion: number;
  key: number;
  powerLo: number;
  powerHi: number;
  currentLo: number;
  currentHi: number;
}

export function newSelectionMemo(): SelectionMemo {
  return { staticVersion: -1, key: -1, powerLo: NaN, powerHi: NaN, currentLo: NaN, currentHi: NaN };
}

/** Sets the memo's power (or current) band [lo, hi) to the one of `x` among the sorted `bounds`. */
export function setMemoBand(m: SelectionMemo, isPower: boolean, bounds: number[], x: number): void {
  let lo = x === x ? -Infinity : NaN;
  let hi = x === x ? Infinity : NaN;
  for (let i = 0; i < bounds.length && x === x; i++) {
    if (bounds[i]! > x) {
      hi = bounds[i]!;
      break;
    }
    lo = bounds[i]!;
  }
  if (isPower) {
    m.powerLo = lo;
    m.powerHi = hi;
  } else {
    m.currentLo = lo;
    m.currentHi = hi;
  }
}
