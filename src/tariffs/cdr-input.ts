// Validation of an untrusted OCPI CDR, limited to what pricing reads (OCPI 2.2.1 cdrs §10.3.1, §10.4).
import { fromChargingPeriod } from './charging-periods.mapper.ts';
import {
  asArray,
  asDateTime,
  asEnum,
  asNumber,
  asObject,
  asString,
  fail,
  optional,
  required,
  type JsonObject,
} from './json-fields.ts';
import type { CdrDimension, CdrDimensionType, ChargingPeriod } from './tariff.types.ts';
import { isValidTimeZone } from './timezone.ts';
import type { SessionUsage } from './usage.types.ts';

const DIMENSION_TYPES: readonly CdrDimensionType[] = [
  'CURRENT',
  'ENERGY',
  'ENERGY_EXPORT',
  'ENERGY_IMPORT',
  'MAX_CURRENT',
  'MIN_CURRENT',
  'MAX_POWER',
  'MIN_POWER',
  'PARKING_TIME',
  'POWER',
  'RESERVATION_TIME',
  'STATE_OF_CHARGE',
  'TIME',
];
const NON_NEGATIVE: ReadonlySet<CdrDimensionType> = new Set(['TIME', 'PARKING_TIME', 'RESERVATION_TIME']);

function readDimension(v: unknown, path: string): CdrDimension {
  const o = asObject(v, path);
  const type = required(o, 'type', path, (x, p) => asEnum(x, p, DIMENSION_TYPES));
  const volume = required(o, 'volume', path, (x, p) => asNumber(x, p, NON_NEGATIVE.has(type) ? 0 : undefined));
  return { type, volume };
}

function readPeriod(v: unknown, path: string): { period: ChargingPeriod; startMs: number } {
  const o = asObject(v, path);
  const startMs = required(o, 'start_date_time', path, asDateTime);
  const dims = required(o, 'dimensions', path, (x, p) => asArray(x, p, 1));
  const period: ChargingPeriod = {
    start_date_time: o.start_date_time as string,
    dimensions: dims.map((d, i) => readDimension(d, `${path}.dimensions[${i}]`)),
  };
  const tariffId = optional(o, 'tariff_id', path, asString);
  if (tariffId !== undefined) period.tariff_id = tariffId;
  return { period, startMs };
}

function readTimeZone(cdr: JsonObject, path: string, isNeeded: boolean, override?: string): string {
  const location = optional(cdr, 'cdr_location', path, asObject);
  const zonePath = `${path}.cdr_location.time_zone`;
  const zone = override ?? (location && optional(location, 'time_zone', `${path}.cdr_location`, asString));
  if (zone === undefined) {
    // OCPI 2.2.1 CdrLocation has no time_zone: it comes from the Location (tariffs §11.4.6)
    if (isNeeded) fail(zonePath, "is required: the tariff restricts on local time (pass the Location's time_zone)");
    return 'UTC';
  }
  if (!isValidTimeZone(zone)) fail(zonePath, 'must be an IANA time zone such as Europe/Amsterdam');
  return zone;
}

export interface CdrReadOptions {
  /** Whether the tariff has local-time restrictions, so that the CDR must say its time zone. */
  needsTimeZone: boolean;
  /** Time zone of the Location, overriding cdr_location.time_zone. */
  timeZone?: string;
}

/**
 * Validates the pricing inputs of an untrusted CDR JSON and converts them to engine units. Throws
 * InvalidInput naming the first bad field, e.g. "cdr.charging_periods[2].dimensions[0].volume: ...".
 */
export function readCdrUsage(json: unknown, opts: CdrReadOptions, path = 'cdr'): { cdr: JsonObject; usage: SessionUsage } {
  const cdr = asObject(json, path);
  const startMs = required(cdr, 'start_date_time', path, asDateTime);
  const endMs = required(cdr, 'end_date_time', path, asDateTime);
  if (endMs < startMs) fail(`${path}.end_date_time`, 'must not be before start_date_time');
  const timeZone = readTimeZone(cdr, path, opts.needsTimeZone, opts.timeZone);
  const raw = required(cdr, 'charging_periods', path, (x, p) => asArray(x, p, 1));
  let previous = -Infinity;
  const periods = raw.map((v, i) => {
    const p = `${path}.charging_periods[${i}]`;
    const { period, startMs: at } = readPeriod(v, p);
    if (at < previous) fail(`${p}.start_date_time`, 'must not be before the previous period');
    if (at > endMs) fail(`${p}.start_date_time`, 'must not be after end_date_time');
    previous = at;
    return fromChargingPeriod(period, at);
  });
  const reserved = periods.some((p) => p.reservationMs > 0);
  const used = periods.some((p) => p.chargingMs > 0 || p.parkingMs > 0 || p.energyMwh !== 0);
  // OCPI 2.2.1 tariffs §11.4.3: RESERVATION_EXPIRES = no charging session followed the reservation
  return { cdr, usage: { timeZone, startMs, endMs, periods, reservationExpired: reserved && !used } };
}
