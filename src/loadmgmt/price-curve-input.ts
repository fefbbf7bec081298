// Pure: a load group's price curve (PUT /load-groups/{id}/price-curve) between its wire form and the domain type of
// price-curve.ts: a bad value is InvalidInput naming the field. The wire form is also what is stored.
import { InvalidInput } from '../shared/errors.ts';
import { parseTimestamp } from '../shared/ranges.ts';
import { isValidTimeZone } from '../tariffs/timezone.ts';
import type { IsoWeekday, PriceCurve, PricePeriod, TimeOfUseRow } from './price-curve.ts';

type Body = Record<string, unknown>;

/** OCPI 2.2.1 tariffs §11.4.3 DayOfWeek names, Monday first (index + 1 = ISO weekday). */
const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
const MAX_ROWS = 1000;
const MAX_PRICE = 1_000_000;

export interface PriceCurveWire {
  currency: string;
  timeZone?: string;
  basePricePerKwh?: number;
  timeOfUse?: Array<{ days?: string[]; from: string; to: string; pricePerKwh: number }>;
  periods?: Array<{ from: string; to?: string; pricePerKwh: number }>;
}

const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

function priceOf(v: unknown, field: string): number {
  // negative prices exist (day-ahead markets at a surplus): any finite number in range
  if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > MAX_PRICE) throw new InvalidInput(`${field}: a number from -${MAX_PRICE} to ${MAX_PRICE} (price per kWh)`);
  return v;
}

/** "HH:MM" (00:00 to 24:00) as minutes of the day. */
function minuteOf(v: unknown, field: string): number {
  const m = typeof v === 'string' ? /^([01]\d|2[0-4]):([0-5]\d)$/.exec(v) : null;
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!(minutes <= 1440)) throw new InvalidInput(`${field}: a local time HH:MM from 00:00 to 24:00`);
  return minutes;
}

function arrayOf(v: unknown, field: string, what: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > MAX_ROWS) throw new InvalidInput(`${field}: an array of at most ${MAX_ROWS} ${what}`);
  return v;
}

function rowOf(v: unknown, field: string): TimeOfUseRow {
  if (!isObject(v)) throw new InvalidInput(`${field}: an object { days?, from, to, pricePerKwh }`);
  const days = arrayOf(v.days, `${field}.days`, 'days').map((d, i) => {
    const n = DAYS.indexOf(d as (typeof DAYS)[number]);
    if (n < 0) throw new InvalidInput(`${field}.days[${i}]: one of ${DAYS.join(', ')}`);
    return (n + 1) as IsoWeekday;
  });
  return { days, startMin: minuteOf(v.from, `${field}.from`), endMin: minuteOf(v.to, `${field}.to`), pricePerKwh: priceOf(v.pricePerKwh, `${field}.pricePerKwh`) };
}

function periodsOf(v: unknown): PricePeriod[] {
  const periods = arrayOf(v, 'periods', 'periods { from, to?, pricePerKwh }').map((p, i) => {
    if (!isObject(p) || typeof p.from !== 'string') throw new InvalidInput(`periods[${i}].from: required date-time`);
    if (p.to !== undefined && typeof p.to !== 'string') throw new InvalidInput(`periods[${i}].to: a date-time`);
    const from = parseTimestamp(p.from, `periods[${i}].from`).getTime();
    const to = p.to === undefined ? null : parseTimestamp(p.to, `periods[${i}].to`).getTime();
    if (to !== null && to <= from) throw new InvalidInput(`periods[${i}].to: must be after from`);
    return { from, to, pricePerKwh: priceOf(p.pricePerKwh, `periods[${i}].pricePerKwh`) };
  });
  periods.sort((a, b) => a.from - b.from);
  periods.forEach((p, i) => {
    const next = periods[i + 1];
    if (next && (p.from === next.from || (p.to !== null && p.to > next.from))) throw new InvalidInput(`periods: two periods overlap at ${new Date(next.from).toISOString()}`);
  });
  return periods;
}

/** A price curve from a PUT body. */
export function priceCurveOf(b: Body): PriceCurve {
  if (typeof b.currency !== 'string' || !/^[A-Z]{3}$/.test(b.currency)) throw new InvalidInput('currency: an ISO 4217 code such as EUR');
  const timeOfUse = arrayOf(b.timeOfUse, 'timeOfUse', 'rows { days?, from, to, pricePerKwh }').map((r, i) => rowOf(r, `timeOfUse[${i}]`));
  if (b.timeZone !== undefined && (typeof b.timeZone !== 'string' || !isValidTimeZone(b.timeZone))) throw new InvalidInput('timeZone: an IANA time zone such as Europe/Amsterdam');
  if (timeOfUse.length > 0 && b.timeZone === undefined) throw new InvalidInput('timeZone: required with timeOfUse (the site\'s IANA time zone, e.g. Europe/Amsterdam)');
  const periods = periodsOf(b.periods);
  const basePricePerKwh = b.basePricePerKwh === undefined ? null : priceOf(b.basePricePerKwh, 'basePricePerKwh');
  if (timeOfUse.length === 0 && periods.length === 0 && basePricePerKwh === null) throw new InvalidInput('periods, timeOfUse, basePricePerKwh: at least one is required');
  return { currency: b.currency, timeZone: (b.timeZone as string | undefined) ?? null, basePricePerKwh, timeOfUse, periods };
}

const hhmm = (min: number): string => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

/** The wire form of a curve (as served and stored). */
export function priceCurveWire(c: PriceCurve): PriceCurveWire {
  return {
    currency: c.currency,
    ...(c.timeZone === null ? {} : { timeZone: c.timeZone }),
    ...(c.basePricePerKwh === null ? {} : { basePricePerKwh: c.basePricePerKwh }),
    timeOfUse: c.timeOfUse.map((r) => ({ ...(r.days.length === 0 ? {} : { days: r.days.map((d) => DAYS[d - 1]!) }), from: hhmm(r.startMin), to: hhmm(r.endMin), pricePerKwh: r.pricePerKwh })),
    periods: c.periods.map((p) => ({ from: new Date(p.from).toISOString(), ...(p.to === null ? {} : { to: new Date(p.to).toISOString() }), pricePerKwh: p.pricePerKwh })),
  };
}
