// Pure settlement: statement periods (local days and months of the party's time zone), per-currency totals of the CDRs a statement covers, the
// delivery reconciliation, and the CSV export. Exact decimals throughout; no I/O, no clock.
import { Decimal } from '../shared/money.ts';
import { localTimeAt, offsetAt } from '../tariffs/timezone.ts';

const DAY_MS = 86_400_000;

export type Granularity = 'DAILY' | 'MONTHLY';
export const GRANULARITIES: readonly Granularity[] = ['DAILY', 'MONTHLY'];

export interface Period {
  start: Date;
  end: Date;
}

/** One CDR as a statement sees it: stored amounts as decimal strings; credit CDRs carry a negative total_cost. */
export interface SettlementLine {
  cdrId: string;
  sessionId: string | null;
  createdAt: Date;
  currency: string;
  credit: boolean;
  kwh: string;
  totalTimeHours: string;
  totalParkingHours: string;
  costExclVat: string;
  costInclVat: string;
  /** Why cpms closed the CDR's session itself (issue 15: SUPERSEDED, OPERATOR_FORCED, …); null/absent: the charger stopped it. */
  closeReason?: string | null;
}

export interface CurrencyTotals {
  currency: string;
  cdrCount: number;
  creditCount: number;
  kwh: string;
  totalTimeHours: string;
  totalParkingHours: string;
  costExclVat: string;
  costInclVat: string;
}

/** The instant of local midnight starting local day `day` (days since 1970-01-01) in `timeZone`. */
function localMidnight(timeZone: string, day: number): Date {
  const local = day * DAY_MS;
  return new Date(local - offsetAt(timeZone, local - offsetAt(timeZone, local)));
}

/**
 * The local day or month containing `at` in `timeZone` (issue 9: each own party settles in its own zone; UTC
 * by default). The bounds are instants (UTC on the wire, OCPI 2.2.1 types §16.2) that partners reconcile
 * against; a local day is 23 or 25 hours on a DST change.
 */
export function periodOf(granularity: Granularity, at: Date, timeZone = 'UTC'): Period {
  const day = localTimeAt(timeZone, at.getTime()).day;
  if (granularity === 'DAILY') return { start: localMidnight(timeZone, day), end: localMidnight(timeZone, day + 1) };
  const date = new Date(day * DAY_MS);
  const [y, m] = [date.getUTCFullYear(), date.getUTCMonth()];
  return { start: localMidnight(timeZone, Date.UTC(y, m, 1) / DAY_MS), end: localMidnight(timeZone, Date.UTC(y, m + 1, 1) / DAY_MS) };
}

/**
 * The latest period that is closed at `now`: it ended at least `graceMs` ago, so that a CDR whose
 * transaction began before the end has committed. A closed period's statement never changes.
 */
export function lastClosedPeriod(granularity: Granularity, now: Date, graceMs: number, timeZone = 'UTC'): Period {
  const current = periodOf(granularity, new Date(now.getTime() - graceMs), timeZone);
  return periodOf(granularity, new Date(current.start.getTime() - 1), timeZone);
}

/** True when the period has ended `graceMs` before `now`. */
export function isClosed(period: Period, now: Date, graceMs: number): boolean {
  return period.end.getTime() + graceMs <= now.getTime();
}

interface Sums {
  cdrCount: number;
  creditCount: number;
  kwh: Decimal;
  time: Decimal;
  parking: Decimal;
  excl: Decimal;
  incl: Decimal;
}

const emptySums = (): Sums => ({ cdrCount: 0, creditCount: 0, kwh: Decimal.ZERO, time: Decimal.ZERO, parking: Decimal.ZERO, excl: Decimal.ZERO, incl: Decimal.ZERO });

/**
 * Per-currency totals of the lines: a credit CDR (OCPI 2.2.1 cdrs §10.2.1.1) is netted against the CDR it
 * credits: its (negative) total_cost is added and its energy and times are subtracted. Statement totals
 * are therefore exactly the signed sum of the CDRs they cover.
 */
export function settle(lines: readonly SettlementLine[]): CurrencyTotals[] {
  const byCurrency = new Map<string, Sums>();
  for (const l of lines) {
    let s = byCurrency.get(l.currency);
    if (!s) byCurrency.set(l.currency, (s = emptySums()));
    const sign = (d: string): Decimal => (l.credit ? Decimal.parse(d).neg() : Decimal.parse(d));
    s.cdrCount += 1;
    if (l.credit) s.creditCount += 1;
    s.kwh = s.kwh.add(sign(l.kwh));
    s.time = s.time.add(sign(l.totalTimeHours));
    s.parking = s.parking.add(sign(l.totalParkingHours));
    s.excl = s.excl.add(Decimal.parse(l.costExclVat));
    s.incl = s.incl.add(Decimal.parse(l.costInclVat));
  }
  return [...byCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, s]) => ({
      currency,
      cdrCount: s.cdrCount,
      creditCount: s.creditCount,
      kwh: s.kwh.toString(),
      totalTimeHours: s.time.toString(),
      totalParkingHours: s.parking.toString(),
      costExclVat: s.excl.toString(),
      costInclVat: s.incl.toString(),
    }));
}

/**
 * Delivery state of one CDR's push to the eMSP (from its outbox row); NONE = never queued. DEAD and
 * CANCELLED are final (no endpoint / gave up; partner unregistered, or party not CONNECTED at its hub)
 * until an operator retries the row.
 */
export type DeliveryState = 'DELIVERED' | 'PENDING' | 'FAILING' | 'DEAD' | 'CANCELLED' | 'NONE';

export interface Reconciliation {
  /** Acknowledged by the eMSP with OCPI status 1000. */
  delivered: number;
  /** Queued, not yet attempted or in flight. */
  pending: number;
  /** Attempted and refused or unreachable; the push worker keeps retrying. */
  failing: number;
  /** Given up on (no cdrs endpoint any more, or too many attempts): failed, needs the operator. */
  dead: number;
  /** Cancelled (the eMSP was unregistered, or its hub reports it not CONNECTED: hubclientinfo §15.1): never delivered. */
  cancelled: number;
  /** Not pushed: local tokens, or an eMSP without a cdrs RECEIVER (it pulls, OCPI cdrs §10.1.4). */
  notPushed: number;
  undelivered: string[];
}

/** Counts the CDRs of a statement by delivery state; lists the ids not yet acknowledged. */
export function reconcile(states: ReadonlyArray<{ cdrId: string; state: DeliveryState }>): Reconciliation {
  const r: Reconciliation = { delivered: 0, pending: 0, failing: 0, dead: 0, cancelled: 0, notPushed: 0, undelivered: [] };
  const counter = { DELIVERED: 'delivered', PENDING: 'pending', FAILING: 'failing', DEAD: 'dead', CANCELLED: 'cancelled', NONE: 'notPushed' } as const;
  for (const { cdrId, state } of states) {
    r[counter[state]]++;
    if (state !== 'DELIVERED' && state !== 'NONE') r.undelivered.push(cdrId);
  }
  return r;
}
