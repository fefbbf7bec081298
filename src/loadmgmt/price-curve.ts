// Pure: a load group's energy price curve (issue 10) as the allocator's step-wise PricePoint list. A curve is a
// recurring time-of-use table in the site's time zone (DST included), absolute periods (e.g. day-ahead prices)
// that take precedence over it, and a base price for the time neither covers.
import type { PricePoint } from './allocation.types.ts';
import { localBoundaries, localTimeAt } from '../tariffs/timezone.ts';

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** From `startMin` to `endMin` local time (minutes of the day) on `days`; end ≤ start runs past midnight. */
export interface TimeOfUseRow {
  /** the days the row starts on; empty: every day */
  days: IsoWeekday[];
  startMin: number;
  endMin: number;
  pricePerKwh: number;
}

/** From `from` until `to` (or the next period's `from`, or forever for the last one): an absolute price. */
export interface PricePeriod {
  from: number;
  to: number | null;
  pricePerKwh: number;
}

export interface PriceCurve {
  /** ISO 4217, for display: the allocator only compares the prices of one curve */
  currency: string;
  /** IANA zone of the time-of-use table (required when it has rows) */
  timeZone: string | null;
  /** time covered by neither a period nor a row; null: the curve's highest price (no energy moved there) */
  basePricePerKwh: number | null;
  timeOfUse: TimeOfUseRow[];
  /** sorted by `from`, not overlapping */
  periods: PricePeriod[];
}

const MIN_MS = 60_000;

/** The instant a period ends: its `to`, else the next period's `from`, else never. */
function periodEnd(periods: PricePeriod[], i: number): number {
  return periods[i]!.to ?? periods[i + 1]?.from ?? Infinity;
}

function rowCovers(row: TimeOfUseRow, weekday: IsoWeekday, minute: number): boolean {
  const isDay = (d: IsoWeekday): boolean => row.days.length === 0 || row.days.includes(d);
  if (row.startMin < row.endMin) return isDay(weekday) && minute >= row.startMin && minute < row.endMin;
  // past midnight: the part before midnight on its day, the rest on the next day
  const yesterday = (weekday === 1 ? 7 : weekday - 1) as IsoWeekday;
  return (isDay(weekday) && minute >= row.startMin) || (isDay(yesterday) && minute < row.endMin);
}

function basePrice(curve: PriceCurve): number {
  if (curve.basePricePerKwh !== null) return curve.basePricePerKwh;
  const all = [...curve.periods, ...curve.timeOfUse].map((p) => p.pricePerKwh);
  return all.length === 0 ? 0 : Math.max(...all);
}

/** The price at instant `t`: the absolute period covering it, else the first time-of-use row, else the base. */
export function priceAt(curve: PriceCurve, t: number): number {
  for (let i = 0; i < curve.periods.length; i++) {
    if (curve.periods[i]!.from <= t && t < periodEnd(curve.periods, i)) return curve.periods[i]!.pricePerKwh;
  }
  if (curve.timeOfUse.length > 0 && curve.timeZone !== null) {
    const local = localTimeAt(curve.timeZone, t);
    const minute = Math.floor(local.msOfDay / MIN_MS);
    const row = curve.timeOfUse.find((r) => rowCovers(r, local.isoWeekday as IsoWeekday, minute));
    if (row) return row.pricePerKwh;
  }
  return basePrice(curve);
}

/**
 * The curve over [from, to) as the allocator's input: a point at `from` and one at every change of price
 * (local row boundaries, DST jumps, period edges), equal neighbours merged.
 */
export function pricePointsOf(curve: PriceCurve, from: number, to: number): PricePoint[] {
  const edges = [from];
  if (curve.timeOfUse.length > 0 && curve.timeZone !== null) {
    const minutes = [...new Set(curve.timeOfUse.flatMap((r) => [r.startMin, r.endMin % 1440]))];
    edges.push(...localBoundaries(curve.timeZone, from, to, minutes.map((m) => m * MIN_MS)));
  }
  curve.periods.forEach((p, i) => edges.push(p.from, periodEnd(curve.periods, i)));
  const points: PricePoint[] = [];
  for (const t of [...new Set(edges)].filter((e) => e >= from && e < to).sort((a, b) => a - b)) {
    const pricePerKWh = priceAt(curve, t);
    if (points.length === 0 || points[points.length - 1]!.pricePerKWh !== pricePerKWh) points.push({ startsAt: t, pricePerKWh });
  }
  return points;
}
