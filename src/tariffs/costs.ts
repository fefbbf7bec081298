import { Decimal, maxDecimal, minDecimal } from '../shared/money.ts';
import { ENERGY, FLAT, TIME, type CompiledComponent, type CompiledTariff } from './compiled-tariff.ts';
import { ReservationState } from './restrictions.ts';
import type { PriceAmount, PricedSession } from './usage.types.ts';

/**
 * Internal precision of time costs: price/hour x seconds / 3600 is not always a finite decimal, so it is
 * rounded half-up at 10^-18. Any cost that is a finite decimal at that scale is exact; any other lies at
 * least 1/(3600 x 10^price_decimals) away from a half-cent, so the final currency rounding is unaffected.
 */
const INTERNAL_SCALE = 18;

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
const BUCKETS = 5;

/** Cost excl. VAT of a billed quantity: FLAT once, ENERGY per kWh (qty in mWh), times per hour (qty in ms). */
function componentCost(c: CompiledComponent, qty: number): Decimal {
  if (c.dimension === FLAT) return c.price;
  const units = c.price.units * BigInt(qty);
  if (c.dimension === ENERGY) return new Decimal(units, c.price.scale + 6);
  return new Decimal(units, c.price.scale + 3).divInt(3600, INTERNAL_SCALE);
}

function bucketOf(t: CompiledTariff, c: CompiledComponent): number {
  // OCPI 2.2.1 cdrs §10.3.1: total_fixed_cost excludes fixed parts of reservation; total_reservation_cost
  // includes them, together with reservation time.
  if (t.elements[c.elementIndex]!.restrictions.reservation !== ReservationState.None) return RESERVATION_BUCKET;
  return c.dimension === FLAT
    ? FIXED
    : c.dimension === ENERGY
      ? ENERGY_BUCKET
      : c.dimension === TIME
        ? TIME_BUCKET
        : PARKING_BUCKET;
}

function clampTotal(t: CompiledTariff, excl: Decimal, incl: Decimal): [Decimal, Decimal, Totals['limitApplied']] {
  let limit: Totals['limitApplied'];
  // OCPI 2.2.1 tariffs §11.3.1 notes: min_price and max_price bind excl. and incl. VAT independently.
  const min = t.minPrice;
  if (min) {
    if (excl.compare(min.exclVat) < 0 || (min.inclVat && incl.compare(min.inclVat) < 0)) limit = 'min_price';
    excl = maxDecimal(excl, min.exclVat);
    if (min.inclVat) incl = maxDecimal(incl, min.inclVat);
  }
  const max = t.maxPrice;
  if (max) {
    if (excl.compare(max.exclVat) > 0 || (max.inclVat && incl.compare(max.inclVat) > 0)) limit = 'max_price';
    excl = minDecimal(excl, max.exclVat);
    if (max.inclVat) incl = minDecimal(incl, max.inclVat);
  }
  return [excl, incl, limit];
}

/**
 * Turns billed quantities per component into the CDR cost totals, each rounded half-up to the currency's
 * minor unit. total_cost is the rounded exact sum (after min/max price), not the sum of rounded parts.
 */
export function sumCosts(t: CompiledTariff, qty: Float64Array): Totals {
  const excl: Decimal[] = new Array<Decimal>(BUCKETS).fill(Decimal.ZERO);
  const incl: Decimal[] = new Array<Decimal>(BUCKETS).fill(Decimal.ZERO);
  for (const c of t.components) {
    const q = qty[c.id]!;
    if (q === 0) continue;
    const cost = componentCost(c, q);
    const b = bucketOf(t, c);
    excl[b] = excl[b]!.add(cost);
    incl[b] = incl[b]!.add(c.vatFactor ? cost.mul(c.vatFactor).round(INTERNAL_SCALE) : cost);
  }
  const sum = (xs: Decimal[]): Decimal => xs.reduce((s, x) => s.add(x), Decimal.ZERO);
  const [totalExcl, totalIncl, limitApplied] = clampTotal(t, sum(excl), sum(incl));
  const d = t.currencyDecimals;
  const amount = (e: Decimal, i: Decimal): PriceAmount => ({ exclVat: e.round(d), inclVat: i.round(d) });
  return {
    totalCost: amount(totalExcl, totalIncl),
    totalFixedCost: amount(excl[FIXED]!, incl[FIXED]!),
    totalEnergyCost: amount(excl[ENERGY_BUCKET]!, incl[ENERGY_BUCKET]!),
    totalTimeCost: amount(excl[TIME_BUCKET]!, incl[TIME_BUCKET]!),
    totalParkingCost: amount(excl[PARKING_BUCKET]!, incl[PARKING_BUCKET]!),
    totalReservationCost: amount(excl[RESERVATION_BUCKET]!, incl[RESERVATION_BUCKET]!),
    limitApplied,
  };
}
