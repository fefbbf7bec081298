// Pure: turns a session's stored OCPP meter values and connector status changes into the meter series
// the pricing engine builds charging periods from. No I/O.
import type { MeterSample, MeterSeries } from '../tariffs/charging-periods.ts';
import { energyRegisterReadings, type Sample } from '../sessions/meter-values.ts';

/** One OCPP StatusNotification of the session's connector (OCPP 1.6 §7.7 ChargePointStatus). */
export interface StatusChange {
  at: Date;
  status: string;
}

export interface SessionMeterInput {
  timeZone: string;
  start: Date;
  end: Date;
  meterStartWh: number;
  meterStopWh: number;
  /** Stored samples of the session (any order). */
  samples: readonly Sample[];
  /** Status changes of the connector, sorted by time; may begin before the session start. */
  statuses: readonly StatusChange[];
}

/** A register reading with the instantaneous values sampled at the same instant. */
interface Point {
  ms: number;
  energyWh: number;
  powerW?: number;
  currentA?: number;
}

interface Accumulated {
  energyWh?: number;
  power: { total?: number; phases?: number };
  current: { total?: number; phases?: number };
}

const ENERGY_REGISTER = 'Energy.Active.Import.Register';

/**
 * OCPI 2.2.1 cdrs §10.4.3 (2.2.1-bugfixes): PARKING_TIME is time in which the vehicle does not request
 * power. OCPP 1.6 §7.7: SuspendedEV / Finishing = the EV does not request; SuspendedEVSE = the EV requests
 * but the EVSE does not offer, which is not parking. Other states say nothing: the energy flow decides.
 */
export function isRequestingPower(status: string | undefined): boolean | undefined {
  if (status === 'SuspendedEV' || status === 'Finishing') return false;
  if (status === 'SuspendedEVSE') return true;
  return undefined;
}

/** W of a power sample (unit W or kW, OCPP 1.6 §7.45 UnitOfMeasure), null if not convertible. */
function toWatts(decimal: string, unit: string | null): number | null {
  if (unit === 'kW') return Number(decimal) * 1000;
  return unit === 'W' || unit === null ? Number(decimal) : null;
}

function addTo(slot: { total?: number; phases?: number }, phase: string | null, v: number): void {
  if (phase === null) slot.total = v;
  else if (/^L[123](-N)?$/.test(phase)) slot.phases = (slot.phases ?? 0) + v;
}

/** A total when sampled, else the sum over phases (OCPI MIN/MAX_CURRENT are sums over all phases). */
const totalOf = (slot: { total?: number; phases?: number }): number | undefined => slot.total ?? slot.phases;

/** Per timestamp: the total register reading (per-phase registers summed when no total was sent) and the instantaneous values. */
function accumulate(samples: readonly Sample[]): Map<number, Accumulated> {
  const byMs = new Map<number, Accumulated>();
  const slot = (ms: number): Accumulated => {
    let acc = byMs.get(ms);
    if (!acc) byMs.set(ms, (acc = { power: {}, current: {} }));
    return acc;
  };
  for (const r of energyRegisterReadings(samples)) slot(r.at.getTime()).energyWh = r.wh;
  for (const s of samples) {
    if (s.numeric === null || s.location === 'Inlet' || s.measurand === ENERGY_REGISTER) continue;
    const acc = slot(s.timestamp.getTime());
    if (s.measurand === 'Power.Active.Import') {
      const w = toWatts(s.numeric, s.unit);
      if (w !== null) addTo(acc.power, s.phase, w);
    } else if (s.measurand === 'Current.Import' && (s.unit === 'A' || s.unit === null)) {
      addTo(acc.current, s.phase, Number(s.numeric));
    }
  }
  return byMs;
}

function attachInstantaneous(p: Point, acc: Accumulated): void {
  const powerW = totalOf(acc.power);
  const currentA = totalOf(acc.current);
  if (powerW !== undefined && p.powerW === undefined) p.powerW = powerW;
  if (currentA !== undefined && p.currentA === undefined) p.currentA = currentA;
}

/**
 * Register readings strictly inside the session, clamped so that energy never decreases and never exceeds
 * the stop reading, framed by the start and stop readings: the total is always meterStop - meterStart.
 */
function registerPoints(input: SessionMeterInput): Point[] {
  const startMs = input.start.getTime();
  const endMs = input.end.getTime();
  const stopWh = Math.max(input.meterStartWh, input.meterStopWh);
  const points: Point[] = [{ ms: startMs, energyWh: input.meterStartWh }];
  const byMs = [...accumulate(input.samples).entries()].sort((a, b) => a[0] - b[0]);
  let last = input.meterStartWh;
  for (const [ms, acc] of byMs) {
    if (ms > endMs) continue;
    if (acc.energyWh === undefined) {
      // power/current sampled without a register reading describe the interval of the previous reading
      attachInstantaneous(points[points.length - 1]!, acc);
      continue;
    }
    const p: Point = { ms: Math.max(ms, startMs), energyWh: Math.min(stopWh, Math.max(last, acc.energyWh)) };
    attachInstantaneous(p, acc);
    points.push(p);
    last = p.energyWh;
  }
  points.push({ ms: endMs, energyWh: stopWh });
  return points;
}

/** The status in force at `ms` (the last change at or before it). */
function statusAt(statuses: readonly StatusChange[], ms: number): string | undefined {
  let found: string | undefined;
  for (const s of statuses) {
    if (s.at.getTime() > ms) break;
    found = s.status;
  }
  return found;
}

/** Energy at `ms` inside [a, b]: all of it before a stop of the request, all after a start, else linear. */
function energyAtBreak(a: Point, b: Point, ms: number, before: boolean | undefined, after: boolean | undefined): number {
  if (after === false) return b.energyWh;
  if (before === false) return a.energyWh;
  return a.energyWh + Math.round(((b.energyWh - a.energyWh) * (ms - a.ms)) / (b.ms - a.ms));
}

/**
 * Adds a point where the connector status changes what it says about the EV requesting power inside a
 * meter interval, so that charging and parking time split there. Energy flows only while the EV requests.
 */
function withStatusBreaks(points: Point[], statuses: readonly StatusChange[]): Point[] {
  const out = [...points];
  for (const s of statuses) {
    const ms = s.at.getTime();
    const after = isRequestingPower(s.status);
    const before = isRequestingPower(statusAt(statuses, ms - 1));
    if (after === before) continue;
    const i = out.findIndex((p) => p.ms > ms);
    if (i <= 0 || out[i - 1]!.ms === ms) continue;
    out.splice(i, 0, { ms, energyWh: energyAtBreak(out[i - 1]!, out[i]!, ms, before, after) });
  }
  return out;
}

/** The engine's meter series of a finished session. */
export function toMeterSeries(input: SessionMeterInput): MeterSeries {
  const points = withStatusBreaks(registerPoints(input), input.statuses);
  const samples: MeterSample[] = points.map((p, i) => {
    const next = points[i + 1];
    const flows = (next !== undefined && next.energyWh > p.energyWh) || (p.powerW ?? 0) > 0;
    const sample: MeterSample = {
      timestampMs: p.ms,
      energyWh: p.energyWh,
      isCharging: isRequestingPower(statusAt(input.statuses, p.ms)) ?? flows,
    };
    if (p.powerW !== undefined) sample.powerW = p.powerW;
    if (p.currentA !== undefined) sample.currentA = p.currentA;
    return sample;
  });
  return { timeZone: input.timeZone, startMs: input.start.getTime(), endMs: input.end.getTime(), samples };
}
