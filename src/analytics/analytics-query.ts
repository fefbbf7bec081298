// Pure: the analytics query string read into an AnalyticsQuery, and the arithmetic of the shares. Bad input
// is InvalidInput (400) naming the parameter.
import { InvalidInput } from '../shared/errors.ts';
import { parseTimestamp } from '../shared/ranges.ts';
import { GROUP_BYS, PERS, type AnalyticsQuery, type GroupBy, type Per } from './analytics.types.ts';

/** The longest period one request may cover: a leap year plus a day of time zone slack. */
export const MAX_PERIOD_DAYS = 367;
const DAY_MS = 86_400_000;
const PARTY = /^([A-Z]{2})-?([A-Z0-9]{3})$/;

function text(q: Record<string, unknown>, field: string, max: number): string | undefined {
  const v = q[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new InvalidInput(`${field}: a string of 1 to ${max} characters`);
  return v;
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A local date YYYY-MM-DD (a real calendar day, 1900–9999), or undefined when `v` is not of that form. */
function localDate(v: string, field: string): Date | undefined {
  const m = LOCAL_DATE.exec(v);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== v || Number(m[1]) < 1900) throw new InvalidInput(`${field}: not a valid date (YYYY-MM-DD from 1900)`);
  return d;
}

function required(q: Record<string, unknown>, field: string): { at: Date; date?: string } {
  const v = text(q, field, 40);
  if (v === undefined) throw new InvalidInput(`${field}: required date-time or local date (YYYY-MM-DD)`);
  const d = localDate(v, field);
  return d ? { at: d, date: v } : { at: parseTimestamp(v, field) };
}

function groupByOf(q: Record<string, unknown>): GroupBy {
  const v = text(q, 'groupBy', 10) ?? 'day';
  if (!(GROUP_BYS as readonly string[]).includes(v)) throw new InvalidInput(`groupBy: one of ${GROUP_BYS.join(', ')}`);
  return v as GroupBy;
}

function perOf(q: Record<string, unknown>): Per {
  const v = text(q, 'per', 10) ?? 'bucket';
  if (!(PERS as readonly string[]).includes(v)) throw new InvalidInput(`per: one of ${PERS.join(', ')}`);
  return v as Per;
}

function partyOf(q: Record<string, unknown>): AnalyticsQuery['party'] {
  const v = text(q, 'partyId', 6);
  if (v === undefined) return undefined;
  const m = PARTY.exec(v.toUpperCase());
  if (!m) throw new InvalidInput('partyId: the eMSP as country code and party id, e.g. DE-ABC');
  return { countryCode: m[1], partyId: m[2] };
}

function groupOf(q: Record<string, unknown>): number | undefined {
  const v = text(q, 'groupId', 10);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 2_147_483_647) throw new InvalidInput('groupId: a driver group id (a positive integer)');
  return Number(v);
}

function limitOf(q: Record<string, unknown>): number {
  const v = text(q, 'limit', 3);
  if (v === undefined) return 10;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 100) throw new InvalidInput('limit: an integer from 1 to 100');
  return Number(v);
}

/**
 * Reads `from`, `to` (exclusive), `groupBy`, `locationId`, `chargePointId`, `partyId`, `groupId`, `limit` and
 * `per`. `from` and `to` are both date-times (instants) or both local dates (YYYY-MM-DD: those days in each
 * location's own time zone, `dates`).
 */
export function parseAnalyticsQuery(q: Record<string, unknown>): AnalyticsQuery {
  const from = required(q, 'from');
  const to = required(q, 'to');
  if ((from.date === undefined) !== (to.date === undefined)) throw new InvalidInput('to: a local date (YYYY-MM-DD) when from is one, a date-time when from is one');
  if (to.at.getTime() <= from.at.getTime()) throw new InvalidInput('to: must be after from');
  if (to.at.getTime() - from.at.getTime() > MAX_PERIOD_DAYS * DAY_MS) throw new InvalidInput(`to: the period is at most ${MAX_PERIOD_DAYS} days`);
  return {
    from: from.at, to: to.at, groupBy: groupByOf(q),
    locationId: text(q, 'locationId', 36), chargePointId: text(q, 'chargePointId', 48), party: partyOf(q), groupId: groupOf(q), limit: limitOf(q), per: perOf(q),
    ...(from.date !== undefined && to.date !== undefined ? { dates: { from: from.date, to: to.date } } : {}),
  };
}

/** The rows of one bucket report per time zone merged: one row per bucket, the EVSEs and seconds summed (an EVSE is in one zone). */
export function mergeBucketRows<T extends { bucket: string }>(parts: readonly T[][]): T[] {
  const byBucket = new Map<string, T>();
  for (const row of parts.flat()) {
    const prev = byBucket.get(row.bucket);
    if (!prev) {
      byBucket.set(row.bucket, { ...row });
      continue;
    }
    const sum: Record<string, unknown> = { ...prev };
    for (const [k, v] of Object.entries(row)) if (k !== 'bucket' && typeof v === 'number') sum[k] = (prev[k as keyof T] as number) + v;
    byBucket.set(row.bucket, sum as T);
  }
  return [...byBucket.values()].sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0));
}

/**
 * The period cut at `now`: time after now has not been observed, so it counts neither as up nor as down.
 * Undefined when the whole period is in the future.
 */
export function observedPeriod(q: AnalyticsQuery, now: Date): { from: Date; to: Date } | undefined {
  const to = q.to.getTime() > now.getTime() ? now : q.to;
  return to.getTime() > q.from.getTime() ? { from: q.from, to } : undefined;
}

/** `part / whole` rounded to 4 decimals; null when nothing was observed (a share of nothing is unknown). */
export function share(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((Math.min(part, whole) / whole) * 10_000) / 10_000;
}

/** Uptime (AFIR): the share of the observed time, maintenance excluded, that the EVSE was not down. */
export function uptime(periodSec: number, downSec: number): number | null {
  return share(Math.max(periodSec - downSec, 0), periodSec);
}
