// Pure settlement: statement periods (UTC), per-currency totals of the CDRs a statement covers, the
// delivery reconciliation, and the CSV export. Exact decimals throughout; no I/O, no clock.
import { Decimal } from '../shared/money.ts';

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

/**
 * The UTC day or month containing `at`. Periods are in UTC (not the operator's time zone): CDR times are
 * UTC on the wire (OCPI 2.2.1 types §16.2) and partners in other zones reconcile against the same bounds.
 */
export function periodOf(granularity: Granularity, at: Date): Period {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  if (granularity === 'MONTHLY') return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
  const d = at.getUTCDate();
  return { start: new Date(Date.UTC(y, m, d)), end: new Date(Date.UTC(y, m, d + 1)) };
}

/**
 * The latest period that is closed at `now`: it ended at least `graceMs` ago, so that a CDR whose
 * transaction began before the end has committed. A closed period's statement never changes.
 */
export function lastClosedPeriod(granularity: Granularity, now: Date, graceMs: number): Period {
  const current = periodOf(granularity, new Date(now.getTime() - graceMs));
  return periodOf(granularity, new Date(current.start.getTime() - 1));
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
