// Range checks for numbers and times that come from outside (charger messages): a value the schema lets
// through but the database cannot hold, or that cannot be a real reading, is refused as InvalidInput
// (answered PropertyConstraintViolation to a charger) before anything is stored.
import { InvalidInput } from './errors.ts';

/** PostgreSQL `integer` (int4), the type of serial ids and OCPP ids stored as such. */
export const INT4 = { min: -2_147_483_648, max: 2_147_483_647 } as const;

/** An energy register in Wh: never negative, exact in a JS number (and well inside `bigint`). */
export const REGISTER_WH = { min: 0, max: Number.MAX_SAFE_INTEGER } as const;

/**
 * The times a charger may report. An unset charger clock reads 1970 or 2000 (possibly shifted by a zone
 * offset), which is wrong but a time; anything before 1900 is garbage, and year 0 is no year at all
 * (PostgreSQL refuses it, node-postgres silently stores 1 BC instead).
 */
const EARLIEST_MS = Date.UTC(1900, 0, 1);
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Throws InvalidInput naming `field` unless `value` is an integer in [min, max]. */
export function checkInteger(value: number, field: string, range: { min: number; max: number }): number {
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new InvalidInput(`${field}: must be an integer from ${range.min} to ${range.max}`);
  }
  return value;
}

// RFC 3339 allows a leap second (23:59:60), which JS dates cannot represent: it is read as the last
// millisecond of that minute rather than refused (a refused StopTransaction would be retried for nothing).
const LEAP_SECOND = /:60(\.\d+)?(?=(Z|[+-]\d\d:\d\d)$)/i;

/** The instant of an RFC 3339 date-time; throws InvalidInput naming `field` if invalid or out of range. */
export function parseTimestamp(raw: string, field: string): Date {
  let ms = Date.parse(raw);
  if (Number.isNaN(ms) && LEAP_SECOND.test(raw)) ms = Date.parse(raw.replace(LEAP_SECOND, ':59.999'));
  if (Number.isNaN(ms)) throw new InvalidInput(`${field}: not a valid date-time`);
  if (ms < EARLIEST_MS || ms > LATEST_MS) throw new InvalidInput(`${field}: must be between 1900-01-01T00:00:00Z and 9999-12-31T23:59:59Z`);
  return new Date(ms);
}
