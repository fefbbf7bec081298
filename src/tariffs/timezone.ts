/**
 * Local wall-clock time in an IANA zone without per-instant Intl calls: offsets are sampled with Intl once
 * per zone and ~1-year bucket, transitions located to the second, and then looked up from a small array.
 * The memo is a cache of a pure function of (zone, instant), so results never depend on call order.
 */

const DAY_MS = 86_400_000;
const BUCKET_MS = 400 * DAY_MS; // whole seconds, so bisection lands exactly on a transition
const SAMPLE_MS = 6 * 3_600_000; // zones never change offset twice within 6 h

/** A stretch of time with one UTC offset: valid from `fromMs` (inclusive) to the next segment. */
interface Segment {
  fromMs: number;
  offsetMs: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const buckets = new Map<string, Map<number, Segment[]>>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** UTC offset (local minus UTC, ms) at an instant, straight from Intl. Slow: used to build the cache only. */
function intlOffset(timeZone: string, ms: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return local - Math.floor(ms / 1000) * 1000;
}

/** Segments overlapping one bucket, with transitions found by bisection to the second. */
function buildBucket(timeZone: string, bucket: number): Segment[] {
  const from = bucket * BUCKET_MS;
  const to = from + BUCKET_MS;
  const segments: Segment[] = [{ fromMs: from - SAMPLE_MS, offsetMs: intlOffset(timeZone, from - SAMPLE_MS) }];
  let prevMs = from - SAMPLE_MS;
  let prevOffset = segments[0]!.offsetMs;
  for (let t = from; t <= to + SAMPLE_MS; t += SAMPLE_MS) {
    const off = intlOffset(timeZone, t);
    if (off !== prevOffset) {
      let lo = prevMs;
      let hi = t;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (intlOffset(timeZone, mid) === prevOffset) lo = mid;
        else hi = mid;
      }
      segments.push({ fromMs: hi, offsetMs: off });
    }
    prevMs = t;
    prevOffset = off;
  }
  return segments;
}

let lastZone = '';
let lastBucket = NaN;
let lastSegments: Segment[] = [];

function segmentsFor(timeZone: string, ms: number): Segment[] {
  const bucket = Math.floor(ms / BUCKET_MS);
  if (bucket === lastBucket && timeZone === lastZone) return lastSegments;
  lastSegments = lookupSegments(timeZone, bucket);
  lastZone = timeZone;
  lastBucket = bucket;
  return lastSegments;
}

function lookupSegments(timeZone: string, bucket: number): Segment[] {
  let zone = buckets.get(timeZone);
  if (!zone) {
    formatter(timeZone); // throws RangeError for an unknown zone before anything is cached
    zone = new Map();
    buckets.set(timeZone, zone);
  }
  let segs = zone.get(bucket);
  if (!segs) {
    segs = buildBucket(timeZone, bucket);
    zone.set(bucket, segs);
  }
  return segs;
}

/** True when `timeZone` is an IANA zone name the runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false; // Intl throws RangeError for unknown zones; that is the answer, not a failure
  }
}

/** UTC offset in ms (local = UTC + offset) of `timeZone` at the instant `ms`, DST included. */
export function offsetAt(timeZone: string, ms: number): number {
  const segs = segmentsFor(timeZone, ms);
  let off = segs[0]!.offsetMs;
  for (let i = 1; i < segs.length && segs[i]!.fromMs <= ms; i++) off = segs[i]!.offsetMs;
  return off;
}

/** Local wall-clock reading of an instant. `day` counts local days since 1970-01-01. */
export interface LocalTime {
  day: number;
  msOfDay: number;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  isoWeekday: number;
}

/** Local date/time of the instant `ms` in `timeZone`. */
export function localTimeAt(timeZone: string, ms: number): LocalTime {
  const out: LocalTime = { day: 0, msOfDay: 0, isoWeekday: 1 };
  fillLocalTime(timeZone, ms, out);
  return out;
}

/** As `localTimeAt`, writing into `out` (no allocation: used per meter interval). */
export function fillLocalTime(timeZone: string, ms: number, out: LocalTime): void {
  const local = ms + offsetAt(timeZone, ms);
  const day = Math.floor(local / DAY_MS);
  out.day = day;
  out.msOfDay = local - day * DAY_MS;
  // 1970-01-01 was a Thursday (ISO weekday 4)
  out.isoWeekday = ((((day + 3) % 7) + 7) % 7) + 1;
}

/**
 * Instants in (fromMs, toMs) where the local wall clock reaches one of `msOfDay` (e.g. 17:00 = 61_200_000),
 * plus every UTC-offset change in that range (where the wall clock jumps). Sorted and unique. A wall-clock
 * time skipped by a DST jump yields the jump instant itself.
 */
export function localBoundaries(timeZone: string, fromMs: number, toMs: number, msOfDay: number[]): number[] {
  const out: number[] = [];
  let segStart = fromMs;
  while (segStart < toMs) {
    const off = offsetAt(timeZone, segStart);
    const next = nextTransition(timeZone, segStart, toMs);
    if (next < toMs) out.push(next);
    const firstDay = Math.floor((segStart + off) / DAY_MS);
    const lastDay = Math.floor((next + off) / DAY_MS);
    for (let d = firstDay; d <= lastDay; d++) {
      for (const m of msOfDay) {
        const t = d * DAY_MS + m - off;
        if (t > segStart && t < next && t > fromMs) out.push(t);
      }
    }
    segStart = next;
  }
  out.sort(ascending);
  let n = 0;
  for (const t of out) if (n === 0 || t !== out[n - 1]) out[n++] = t;
  out.length = n;
  return out;
}

function ascending(a: number, b: number): number {
  return a - b;
}

/** First offset change strictly after `ms`, or `limitMs` when there is none before it. */
function nextTransition(timeZone: string, ms: number, limitMs: number): number {
  for (let b = Math.floor(ms / BUCKET_MS); b * BUCKET_MS <= limitMs; b++) {
    for (const s of segmentsFor(timeZone, b * BUCKET_MS)) {
      if (s.fromMs > ms && s.fromMs < limitMs && offsetAt(timeZone, s.fromMs - 1) !== s.offsetMs) return s.fromMs;
    }
  }
  return limitMs;
}
