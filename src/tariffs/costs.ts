import { Decimal } from '../shared/money.ts';
import { ENERGY, FLAT, TIME, type CompiledComponent, type CompiledTariff } from './compiled-tariff.ts';
import type { PriceAmount, PricedSession } from './usage.types.ts';

/**
 * All costs of one tariff are integers over one common denominator D = 1.8e7 x 10^ps x 100 x 10^vs, where
 * ps is the largest decimal scale of its prices and limits and vs that of its VAT rates: 1.8e7 is
 * lcm(1e6 mWh per kWh, 3.6e6 ms per hour). Every cost is then exact (no internal rounding at all) and
 * costs one BigInt multiplication per billed component; rounding to the currency happens once per total.
 */
interface CostUnits {
  denominator: bigint;
  /** Per component id: cost numerator per billed unit (mWh, ms, or one FLAT), excl. and incl. VAT. */
  exclUnit: bigint[];
  inclUnit: bigint[];
  minExcl: bigint | undefined;
  minIncl: bigint | undefined;
  maxExcl: bigint | undefined;
  maxIncl: bigint | undefined;
}

const UNITS_PER_FLAT = 18_000_000n;
const costUnitsCache = new WeakMap<CompiledTariff, CostUnits>();

function maxScale(xs: (Decimal | undefined)[]): number {
  let s = 0;
  for (const x of xs) if (x && x.scale > s) s = x.scale;
  return s;
}

function costUnits(t: CompiledTariff): CostUnits {
  const cached = costUnitsCache.get(t);
  if (cached) return cached;
  const limits = [t.minPrice?.exclVat, t.minPrice?.inclVat, t.maxPrice?.exclVat, t.maxPrice?.inclVat];
  const ps = maxScale([...t.components.map((c) => c.price), ...limits]);
  const vs = Math.max(0, maxScale(t.components.map((c) => c.vatFactor)) - 2);
  const vatBase = 100n * 10n ** BigInt(vs); // vatFactor = (vatBase + vat x 10^vs) / vatBase
  const denominator = UNITS_PER_FLAT * 10n ** BigInt(ps) * vatBase;
  const perUnit = (c: CompiledComponent): bigint => (c.dimension === FLAT ? UNITS_PER_FLAT : c.dimension === ENERGY ? 18n : 5n);
  const exclUnit = t.components.map((c) => c.price.rescale(ps).units * perUnit(c) * vatBase);
  const inclUnit = t.components.map((c) =>
    c.vatFactor ? c.price.rescale(ps).units * perUnit(c) * c.vatFactor.rescale(vs + 2).units : exclUnit[c.id]!,
  );
  const limit = (d: Decimal | undefined): bigint | undefined => (d ? d.rescale(ps).units * UNITS_PER_FLAT * vatBase : undefined);
  const units: CostUnits = {
    denominator,
    exclUnit,
    inclUnit,
    minExcl: limit(limits[0]),
    minIncl: limit(limits[1]),
    maxExcl: limit(limits[2]),
    maxIncl: limit(limits[3]),
  };
  costUnitsCache.set(t, units);
  return units;
}

type Totals = Pick<
  PricedSession,
  | 'totalCost'
  | 'totalFixedCost'
  | 'totalEnergyCost'
  | 'totalTimeCost'
  | 'totalParkingCost'
  | 'totalReservationCost'
  | 'limitApplied'
>;

const FIXED = 0;
const ENERGY_BUCKET = 1;
const TIME_BUCKET = 2;
const PARKING_BUCKET = 3;
const RESERVATION_BUCKET = 4;

function bucketOf(c: CompiledComponent): number {
  // OCPI 2.2.1 cdrs §10.3.1: total_fixed_cost excludes fixed parts of reservation; total_reservation_cost
  // includes them, together with reservation time.
  if (c.isReservation) return RESERVATION_BUCKET;
  return c.dimension === FLAT
    ? FIXED
    : c.dimension === ENERGY
      ? ENERGY_BUCKET
      : c.dimension === TIME
        ? TIME_BUCKET
        : PARKING_BUCKET;
}

function clampTotal(u: CostUnits, excl: bigint, incl: bigint): [bigint, bigint, Totals['limitApplied']] {
  let limit: Totals['limitApplied'];
  // OCPI 2.2.1 tariffs §11.3.1 notes: min_price and max_price bind excl. and incl. VAT independently.
  if (u.minExcl !== undefined && excl < u.minExcl) [excl, limit] = [u.minExcl, 'min_price'];
  if (u.minIncl !== undefined && incl < u.minIncl) [incl, limit] = [u.minIncl, 'min_price'];
  if (u.maxExcl !== undefined && excl > u.maxExcl) [excl, limit] = [u.maxExcl, 'max_price'];
  if (u.maxIncl !== undefined && incl > u.maxIncl) [incl, limit] = [u.maxIncl, 'max_price'];
  return [excl, incl, limit];
}

function amount(u: CostUnits, decimals: number, excl: bigint, incl: bigint): PriceAmount {
  return { exclVat: toCurrency(u, decimals, excl), inclVat: toCurrency(u, decimals, incl) };
}

/** numerator / D rounded half-up to the currency's minor unit. */
function toCurrency(u: CostUnits, decimals: number, numerator: bigint): Decimal {
  return numerator === 0n ? new Decimal(0n, decimals) : new Decimal(numerator, 0).divInt(u.denominator, decimals);
}

/**
 * Turns billed quantities per component into the CDR cost totals, each rounded half-up to the currency's
 * minor unit. total_cost is the rounded exact sum (after min/max price), not the sum of rounded parts.
 */
export function sumCosts(t: CompiledTariff, qty: Float64Array): Totals {
  const u = costUnits(t);
  const excl = [0n, 0n, 0n, 0n, 0n];
  const incl = [0n, 0n, 0n, 0n, 0n];
  for (const c of t.components) {
    const q = qty[c.id]!;
    if (q === 0) continue;
    const n = BigInt(q);
    const b = bucketOf(c);
    excl[b]! += n * u.exclUnit[c.id]!;
    incl[b]! += n * u.inclUnit[c.id]!;
  }
  const sumExcl = excl[0]! + excl[1]! + excl[2]! + excl[3]! + excl[4]!;
  const sumIncl = incl[0]! + incl[1]! + incl[2]! + incl[3]! + incl[4]!;
  const [totalExcl, totalIncl, limitApplied] = clampTotal(u, sumExcl, sumIncl);
  const d = t.currencyDecimals;
  return {
    totalCost: amount(u, d, totalExcl, totalIncl),
    totalFixedCost: amount(u, d, excl[FIXED]!, incl[FIXED]!),
    totalEnergyCost: amount(u, d, excl[ENERGY_BUCKET]!, incl[ENERGY_BUCKET]!),
    totalTimeCost: amount(u, d, excl[TIME_BUCKET]!, incl[TIME_BUCKET]!),
    totalParkingCost: amount(u, d, excl[PARKING_BUCKET]!, incl[PARKING_BUCKET]!),
    totalReservationCost: amount(u, d, excl[RESERVATION_BUCKET]!, incl[RESERVATION_BUCKET]!),
    limitApplied,
  };
}
