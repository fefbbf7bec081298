// Pure mapping from sessions and their meter readings to OCPI 2.2.1 Session objects and PATCH bodies. No I/O.
import type { ChargingPeriod, CdrDimension, Price } from '../tariffs/tariff.types.ts';
import { energyRegisterReadings, type Sample } from './meter-values.ts';
import type { Session } from './session.types.ts';
import type { EnergyReading, OcpiSession, OcpiSessionPatch, SessionOcpiInput } from './ocpi.types.ts';

/**
 * Shortest charging period: a reading closes the open period only once it is at least this long.
 * OCPI 2.2.1 sessions §9.3.1 leaves the number of periods to the CPO: one a minute is too many for a
 * 3 h AC session, one per 30 min too few for a DC session; 5 min gives 36 and 6.
 */
export const DEFAULT_MIN_PERIOD_MS = 5 * 60_000;

const MS_PER_HOUR = 3_600_000;

/** Where the last built period ended: the next one starts here. */
export interface PeriodCursor {
  at: Date;
  wh: number;
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/**
 * The total energy import register readings among samples (OCPP 1.6 §7.43), one per timestamp, in Wh:
 * the same readings as drive the session's kWh (meter-values.ts), per-phase sums included.
 */
export function toEnergyReadings(samples: readonly Sample[]): EnergyReading[] {
  return energyRegisterReadings(samples);
}

/** OCPI 2.2.1 cdrs §10.4.6 ChargingPeriod from `from` to `to`; time without energy counts as parking. */
function toPeriod(from: PeriodCursor, to: PeriodCursor): ChargingPeriod {
  const wh = Math.max(0, to.wh - from.wh);
  const hours = round4((to.at.getTime() - from.at.getTime()) / MS_PER_HOUR);
  const dimensions: CdrDimension[] = wh > 0 ? [{ type: 'ENERGY', volume: wh / 1000 }, { type: 'TIME', volume: hours }] : [{ type: 'PARKING_TIME', volume: hours }];
  return { start_date_time: from.at.toISOString(), dimensions };
}

/**
 * Charging periods from `from` on: a register reading at least `minPeriodMs` after the open period's
 * start closes it; `stop` (the final register) closes the last one. Readings at or before `from` are
 * ignored, so building again from the returned cursor only yields periods that were not built yet:
 * what a PATCH appends (sessions §9.2.2.3).
 */
export function buildChargingPeriods(
  from: PeriodCursor,
  readings: readonly EnergyReading[],
  opts: { stop?: PeriodCursor; minPeriodMs?: number } = {},
): { periods: ChargingPeriod[]; cursor: PeriodCursor } {
  const minMs = opts.minPeriodMs ?? DEFAULT_MIN_PERIOD_MS;
  const sorted = [...readings].sort((a, b) => a.at.getTime() - b.at.getTime());
  const periods: ChargingPeriod[] = [];
  let cursor = from;
  for (const r of sorted) {
    if (opts.stop && r.at.getTime() > opts.stop.at.getTime()) break;
    if (r.at.getTime() - cursor.at.getTime() < minMs) continue;
    periods.push(toPeriod(cursor, r));
    cursor = { at: r.at, wh: r.wh };
  }
  if (opts.stop && opts.stop.at.getTime() > cursor.at.getTime()) {
    periods.push(toPeriod(cursor, opts.stop));
    cursor = opts.stop;
  }
  return { periods, cursor };
}

/** Where a session's periods start: its start time and meter start. */
export function sessionStartCursor(s: Session): PeriodCursor {
  return { at: s.startAt, wh: s.meterStartWh };
}

/** Where a stopped session's last period ends, or undefined while it runs. */
export function sessionStopCursor(s: Session): PeriodCursor | undefined {
  if (!s.stopAt) return undefined;
  return { at: s.stopAt, wh: s.meterStopWh ?? s.meterStartWh + s.energyWh };
}

/** total_cost when a price is known (types §16.5 Price); omitted otherwise (sessions §9.3.1: not free). */
function totalCost(s: Session): Price | undefined {
  if (s.totalCostExclVat === null) return undefined;
  const price: Price = { excl_vat: Number(s.totalCostExclVat) };
  if (s.totalCostInclVat !== null) price.incl_vat = Number(s.totalCostInclVat);
  return price;
}

/** A session can be described to a partner once it happened at a known location (location_id is 1..1). */
export function isShareable(s: Session): boolean {
  return s.locationId !== null;
}

/** Session.kwh from whole Wh. */
const toKwh = (wh: number): number => wh / 1000;

/** OCPI 2.2.1 sessions §9.3.1 Session, with all its charging periods. */
export function toOcpiSession(input: SessionOcpiInput, opts: { minPeriodMs?: number } = {}): OcpiSession {
  const s = input.session;
  const { periods } = buildChargingPeriods(sessionStartCursor(s), input.readings, { stop: sessionStopCursor(s), minPeriodMs: opts.minPeriodMs });
  const out: OcpiSession = {
    country_code: input.party.countryCode,
    party_id: input.party.partyId,
    id: s.uid,
    start_date_time: s.startAt.toISOString(),
    kwh: toKwh(s.energyWh),
    cdr_token: { country_code: input.token.countryCode, party_id: input.token.partyId, uid: input.token.uid, type: input.token.type, contract_id: input.token.contractId },
    auth_method: s.authMethod,
    // Only sessions on an attached charger are shared (see isShareable); #NA is the spec's "not assigned".
    location_id: s.locationId ?? '#NA',
    evse_uid: s.evseUid ?? '#NA',
    connector_id: input.connectorId,
    currency: s.currency ?? input.party.currency ?? input.defaultCurrency,
    status: s.status,
    last_updated: s.lastUpdated.toISOString(),
  };
  if (s.stopAt) out.end_date_time = s.stopAt.toISOString();
  if (s.authorizationReference) out.authorization_reference = s.authorizationReference;
  if (input.meterId) out.meter_id = input.meterId;
  if (periods.length > 0) out.charging_periods = periods;
  const cost = totalCost(s);
  if (cost) out.total_cost = cost;
  return out;
}

/**
 * OCPI 2.2.1 sessions §9.2.2.3 PATCH of a running or stopped session: kwh, status, total_cost when
 * known, end_date_time once stopped, and `newPeriods` to append (a PATCH adds charging periods).
 */
export function toSessionPatch(s: Session, newPeriods: readonly ChargingPeriod[]): OcpiSessionPatch {
  const patch: OcpiSessionPatch = { kwh: toKwh(s.energyWh), status: s.status, last_updated: s.lastUpdated.toISOString() };
  if (newPeriods.length > 0) patch.charging_periods = [...newPeriods];
  const cost = totalCost(s);
  if (cost) patch.total_cost = cost;
  if (s.stopAt) patch.end_date_time = s.stopAt.toISOString();
  return patch;
}
