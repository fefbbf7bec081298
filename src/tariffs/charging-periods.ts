import {
  DIMENSION_COUNT,
  evaluateStatic,
  newSelectionMemo,
  selectComponents,
  setMemoBand,
  type CompiledTariff,
  type SelectionMemo,
} from './compiled-tariff.ts';
import { fillTimeContext, newContext } from './pricing.ts';
import type { RestrictionContext } from './restrictions.ts';
import { localBoundaries } from './timezone.ts';
import type { PeriodUsage, SessionUsage } from './usage.types.ts';

/** One meter reading (OCPP MeterValues), in the units chargers send. */
export interface MeterSample {
  timestampMs: number;
  /** Energy.Active.Import.Register, Wh (cumulative). */
  energyWh: number;
  /** Power.Active.Import, W, if sampled. */
  powerW?: number;
  /** Current.Import summed over phases, A, if sampled. */
  currentA?: number;
  /** Whether the EV requests power from this reading until the next one (else the time is parking). */
  isCharging: boolean;
}

export interface MeterSeries {
  timeZone: string;
  startMs: number;
  endMs: number;
  /** Sorted by time; the first one gives the register value at the session start. */
  samples: readonly MeterSample[];
}

/** A meter interval's constant attributes. */
interface Interval {
  a: number;
  b: number;
  energyWh: number;
  isCharging: boolean;
  powerKw: number;
  current: number;
}

interface BuildState {
  t: CompiledTariff;
  usage: SessionUsage;
  ctx: RestrictionContext;
  sel: Int32Array;
  /** `evaluateStatic` results, valid while `staticCut`/`staticBand` are unchanged. */
  staticMet: Int8Array;
  staticCut: number;
  staticBand: number;
  /** Bumped whenever `staticMet` is re-evaluated. */
  staticVersion: number;
  memo: SelectionMemo;
  /** Time cuts, followed by an Infinity sentinel. */
  cuts: number[];
  cutIndex: number;
  energyMwh: number;
  open: PeriodUsage | undefined;
  openKey: number;
  openCharging: boolean;
}

/** ms rounded to a whole second; the division is skipped when `ms` is one already (always below 2^53). */
function toSecond(ms: number): number {
  const q = Math.round(ms * 0.001);
  return q * 1000 === ms ? ms : Math.round(ms / 1000) * 1000;
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/**
 * An instant of the session as a whole second: the rounded session start plus the rounded time since the
 * start, so that a reading at the session end lands on the end and sub-second durations round as a whole.
 */
function sessionSecond(s: MeterSeries, start: number, ms: number): number {
  return start + toSecond(ms - s.startMs);
}

/**
 * W to kW rounded to 4 decimals. A whole number of W has at most 3 decimals in kW, for which `round4` is
 * the identity (checked for every integer up to 2e8 W; it holds far beyond 1e12), so it is skipped.
 */
function wattsToKw(w: number): number {
  return Number.isInteger(w) && w < 1e12 && w > -1e12 ? w / 1000 : round4(w / 1000);
}

function ascending(x: number, y: number): number {
  return x - y;
}

/** Instants in (start, end) where a time-of-day, date, weekday, DST or duration restriction can flip. */
function timeCuts(t: CompiledTariff, s: MeterSeries, start: number, end: number): number[] {
  const b = t.boundaries;
  const cuts = b.usesLocalTime ? localBoundaries(s.timeZone, start, end, b.msOfDay) : [];
  for (const d of b.durationsMs) if (d > 0 && start + d < end) cuts.push(start + d);
  if (b.durationsMs.length > 0) cuts.sort(ascending);
  cuts.push(Infinity); // sentinel: the cut cursor never reads past the end
  return cuts;
}

/** First instant (whole second) in (from, iv.b) where cumulative energy reaches a kWh threshold. */
function energyCut(st: BuildState, iv: Interval, consumedWh: number, from: number): number {
  if (iv.energyWh <= 0 || st.t.boundaries.energiesMwh.length === 0) return Infinity;
  const now = st.energyMwh + consumedWh * 1000;
  for (const thr of st.t.boundaries.energiesMwh) {
    if (thr <= now) continue;
    const needWh = (thr - st.energyMwh) / 1000;
    if (needWh >= iv.energyWh) return Infinity;
    const at = iv.a + Math.ceil(((needWh * (iv.b - iv.a)) / iv.energyWh) / 1000) * 1000;
    return at > from ? at : Infinity;
  }
  return Infinity;
}

/** Adds a piece of `iv` to the open period `p` (same components, same charging state). */
function mergePiece(p: PeriodUsage, iv: Interval, ms: number, energyWh: number): void {
  p.energyMwh += energyWh * 1000;
  if (iv.isCharging) p.chargingMs += ms;
  else p.parkingMs += ms;
  p.minCurrent = Math.min(p.minCurrent, iv.current);
  p.maxCurrent = Math.max(p.maxCurrent, iv.current);
  p.minPowerKw = Math.min(p.minPowerKw, iv.powerKw);
  p.maxPowerKw = Math.max(p.maxPowerKw, iv.powerKw);
}

function appendPiece(st: BuildState, iv: Interval, from: number, to: number, energyWh: number, key: number): void {
  const ms = to - from;
  const p = st.open;
  if (p && key === st.openKey && iv.isCharging === st.openCharging) {
    mergePiece(p, iv, ms, energyWh);
    return;
  }
  st.open = {
    startMs: from,
    energyMwh: energyWh * 1000,
    chargingMs: iv.isCharging ? ms : 0,
    parkingMs: iv.isCharging ? 0 : ms,
    reservationMs: 0,
    minCurrent: iv.current,
    maxCurrent: iv.current,
    minPowerKw: iv.powerKw,
    maxPowerKw: iv.powerKw,
  };
  st.usage.periods.push(st.open);
  st.openKey = key;
  st.openCharging = iv.isCharging;
}

/**
 * The common case of `addInterval`, checked without calls: the whole interval extends the open period
 * because no time cut lies in it and the tariff has no kWh bounds (so `refreshStatic` would not
 * re-evaluate), the static results, power and current are in the memoised selection's (so `selectKey`
 * would return its key), and that key and the charging state are the open period's. Returns false,
 * changing nothing, when any of these does not hold.
 */
function extendOpen(st: BuildState, iv: Interval): boolean {
  const p = st.open;
  const m = st.memo;
  if (p === undefined || iv.isCharging !== st.openCharging || m.key !== st.openKey) return false;
  if (st.cuts[st.cutIndex]! < iv.b || st.staticCut !== st.cutIndex || m.staticVersion !== st.staticVersion) return false;
  if (st.t.boundaries.energiesMwh.length !== 0) return false;
  const x = iv.powerKw;
  const y = iv.current;
  if (!(m.powerLo === m.powerLo ? x >= m.powerLo && x < m.powerHi : x !== x)) return false;
  if (!(m.currentLo === m.currentLo ? y >= m.currentLo && y < m.currentHi : y !== y)) return false;
  mergePiece(p, iv, iv.b - iv.a, iv.energyWh);
  st.energyMwh += iv.energyWh * 1000;
  return true;
}

/**
 * Re-evaluates the time/energy part of the restrictions only when a boundary was passed since the last
 * evaluation: between boundaries it cannot change, so most meter intervals skip it.
 */
function refreshStatic(st: BuildState, at: number, energyMwh: number): void {
  let band = 0;
  const energies = st.t.boundaries.energiesMwh;
  for (let i = 0; i < energies.length; i++) if (energyMwh >= energies[i]!) band++;
  if (band === st.staticBand && st.cutIndex === st.staticCut) return;
  fillTimeContext(st.t, st.usage, st.ctx, at);
  st.ctx.energyMwh = energyMwh;
  evaluateStatic(st.t, st.ctx, st.staticMet);
  st.staticBand = band;
  st.staticCut = st.cutIndex;
  st.staticVersion++;
}

/** Whether `x` lies in the band [lo, hi) of a memo (a NaN band holds NaN only). */
function inBand(x: number, lo: number, hi: number): boolean {
  return lo === lo ? x >= lo && x < hi : x !== x;
}

/**
 * `selectComponents` for the current context, skipped when neither the static results nor the power or
 * current band changed since the last call (the result would be the same key).
 */
function selectKey(st: BuildState, iv: Interval): number {
  const m = st.memo;
  if (
    m.staticVersion === st.staticVersion &&
    inBand(iv.powerKw, m.powerLo, m.powerHi) &&
    inBand(iv.current, m.currentLo, m.currentHi)
  ) {
    return m.key;
  }
  m.key = selectComponents(st.t, st.ctx, st.staticMet, st.sel);
  m.staticVersion = st.staticVersion;
  setMemoBand(m, true, st.t.boundaries.powersKw, iv.powerKw);
  setMemoBand(m, false, st.t.boundaries.currents, iv.current);
  return m.key;
}

/** Cuts one meter interval at restriction boundaries; energy is interpolated linearly, in whole Wh. */
function addInterval(st: BuildState, iv: Interval): void {
  if (extendOpen(st, iv)) return;
  const { ctx, cuts } = st;
  ctx.minCurrent = ctx.maxCurrent = iv.current;
  ctx.minPowerKw = ctx.maxPowerKw = iv.powerKw;
  let from = iv.a;
  let consumedWh = 0;
  while (from < iv.b) {
    while (cuts[st.cutIndex]! <= from) st.cutIndex++;
    const to = Math.min(iv.b, cuts[st.cutIndex]!, energyCut(st, iv, consumedWh, from));
    const upToWh = to === iv.b ? iv.energyWh : Math.round((iv.energyWh * (to - iv.a)) / (iv.b - iv.a));
    refreshStatic(st, from, st.energyMwh + consumedWh * 1000);
    appendPiece(st, iv, from, to, upToWh - consumedWh, selectKey(st, iv));
    consumedWh = upToWh;
    from = to;
  }
  st.energyMwh += iv.energyWh * 1000;
}

/**
 * Fills `iv` with the interval from reading `i` to the next one (or the session end). For i > 0, `iv.b`
 * on entry is the previous interval's end, i.e. reading i's clamped time, and becomes `iv.a`.
 */
function readInterval(s: MeterSeries, i: number, start: number, end: number, iv: Interval): void {
  const samples = s.samples;
  const smp = samples[i]!;
  const next = i + 1 < samples.length ? samples[i + 1] : undefined;
  iv.a = i === 0 ? Math.min(end, Math.max(start, sessionSecond(s, start, smp.timestampMs))) : iv.b;
  iv.b = next ? Math.min(end, Math.max(start, sessionSecond(s, start, next.timestampMs))) : end;
  iv.energyWh = next ? Math.round(next.energyWh - smp.energyWh) : 0;
  iv.isCharging = smp.isCharging;
  if (smp.powerW !== undefined) iv.powerKw = wattsToKw(smp.powerW);
  else iv.powerKw = iv.b > iv.a && smp.isCharging ? round4((iv.energyWh * 3600) / (iv.b - iv.a)) : NaN;
  iv.current = smp.currentA !== undefined ? round4(smp.currentA) : NaN;
}

function newBuildState(t: CompiledTariff, usage: SessionUsage, cuts: number[]): BuildState {
  return {
    t,
    usage,
    ctx: newContext(),
    sel: new Int32Array(DIMENSION_COUNT),
    staticMet: new Int8Array(t.elements.length),
    staticCut: -1,
    staticBand: -1,
    staticVersion: 0,
    memo: newSelectionMemo(),
    cuts,
    cutIndex: 0,
    energyMwh: 0,
    open: undefined,
    openKey: -1,
    openCharging: false,
  };
}

/**
 * Builds the charging periods of a session from its meter values: one period per run of time in which the
 * same price components apply and the charging state is the same. Periods are split wherever a tariff
 * restriction can change the applicable element: local time of day, date and weekday (DST-aware), session
 * duration, and consumed kWh (OCPI 2.2.1 cdrs §10.3.1 ChargingPeriod). Times are whole seconds, energy
 * whole Wh, and current/power rounded to the 4 decimals of the wire format, so pricing the OCPI periods
 * produced from this result selects exactly the same components.
 */
export function buildSessionUsage(t: CompiledTariff, s: MeterSeries): SessionUsage {
  const start = toSecond(s.startMs);
  // the duration rounded, not each end: 10:00:00.600-10:00:01.400 lasts 1 s, not 0 s (both ends round to :01)
  const end = Math.max(start, sessionSecond(s, start, s.endMs));
  const usage: SessionUsage = { timeZone: s.timeZone, startMs: start, endMs: end, periods: [], reservationExpired: false };
  const st = newBuildState(t, usage, timeCuts(t, s, start, end));
  const first = s.samples[0];
  const firstAt = first ? Math.min(end, sessionSecond(s, start, first.timestampMs)) : end;
  if (firstAt > start) {
    // before the first reading (or without any): no energy measured, state as first reported
    const isCharging = first?.isCharging ?? false;
    addInterval(st, { a: start, b: firstAt, energyWh: 0, isCharging, powerKw: NaN, current: NaN });
  }
  let carryWh = 0; // energy between readings at the same (clamped) instant goes to the next interval
  const iv: Interval = { a: 0, b: 0, energyWh: 0, isCharging: false, powerKw: NaN, current: NaN };
  for (let i = 0; i < s.samples.length; i++) {
    readInterval(s, i, start, end, iv);
    iv.energyWh += carryWh;
    carryWh = iv.b > iv.a ? 0 : iv.energyWh;
    if (iv.b > iv.a) addInterval(st, iv);
  }
  if (carryWh !== 0) addCarry(st, start, carryWh);
  return usage;
}

/**
 * Energy of readings that all fall on the last instant goes to the open period or, in a session shorter than
 * half a second (no whole second to cut), to a period of zero time: it is never lost to the rounding.
 */
function addCarry(st: BuildState, start: number, carryWh: number): void {
  if (st.open === undefined) {
    const iv: Interval = { a: start, b: start, energyWh: carryWh, isCharging: true, powerKw: NaN, current: NaN };
    st.ctx.minCurrent = st.ctx.maxCurrent = NaN;
    st.ctx.minPowerKw = st.ctx.maxPowerKw = NaN;
    refreshStatic(st, start, st.energyMwh);
    appendPiece(st, iv, start, start, carryWh, selectKey(st, iv));
  } else {
    st.open.energyMwh += carryWh * 1000;
  }
  st.energyMwh += carryWh * 1000;
}
