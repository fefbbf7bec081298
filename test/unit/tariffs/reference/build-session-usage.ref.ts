// Test oracle: `buildSessionUsage` exactly as it was before its fast paths (commit 964b03d), selecting the
// components anew for every piece of every meter interval. The fast builder must produce identical periods.
// Since then (like the builder): instants are rounded as the session start plus the rounded time since it, and
// a session shorter than half a second keeps its energy in a period of zero time.
import type { MeterSeries } from '../../../../src/tariffs/charging-periods.ts';
import { DIMENSION_COUNT, evaluateStatic, selectComponents, type CompiledTariff } from '../../../../src/tariffs/compiled-tariff.ts';
import { fillTimeContext, newContext } from '../../../../src/tariffs/pricing.ts';
import type { RestrictionContext } from '../../../../src/tariffs/restrictions.ts';
import { localBoundaries } from '../../../../src/tariffs/timezone.ts';
import type { PeriodUsage, SessionUsage } from '../../../../src/tariffs/usage.types.ts';

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
  cuts: number[];
  cutIndex: number;
  energyMwh: number;
  open: PeriodUsage | undefined;
  openKey: number;
  openCharging: boolean;
}

const toSecond = (ms: number): number => Math.round(ms / 1000) * 1000;
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

function ascending(x: number, y: number): number {
  return x - y;
}

/** Instants in (start, end) where a time-of-day, date, weekday, DST or duration restriction can flip. */
function timeCuts(t: CompiledTariff, s: MeterSeries, start: number, end: number): number[] {
  const b = t.boundaries;
  const cuts = b.usesLocalTime ? localBoundaries(s.timeZone, start, end, b.msOfDay) : [];
  for (const d of b.durationsMs) if (d > 0 && start + d < end) cuts.push(start + d);
  if (b.durationsMs.length > 0) cuts.sort(ascending);
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

function appendPiece(st: BuildState, iv: Interval, from: number, to: number, energyWh: number, key: number): void {
  const ms = to - from;
  const p = st.open;
  if (p && key === st.openKey && iv.isCharging === st.openCharging) {
    p.energyMwh += energyWh * 1000;
    if (iv.isCharging) p.chargingMs += ms;
    else p.parkingMs += ms;
    p.minCurrent = Math.min(p.minCurrent, iv.current);
    p.maxCurrent = Math.max(p.maxCurrent, iv.current);
    p.minPowerKw = Math.min(p.minPowerKw, iv.powerKw);
    p.maxPowerKw = Math.max(p.maxPowerKw, iv.powerKw);
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
 * Re-evaluates the time/energy part of the restrictions only when a boundary was passed since the last
 * evaluation: between boundaries it cannot change, so most meter intervals skip it.
 */
function refreshStatic(st: BuildState, at: number, energyMwh: number): void {
  let band = 0;
  for (const thr of st.t.boundaries.energiesMwh) if (energyMwh >= thr) band++;
  if (band === st.staticBand && st.cutIndex === st.staticCut) return;
  fillTimeContext(st.t, st.usage, st.ctx, at);
  st.ctx.energyMwh = energyMwh;
  evaluateStatic(st.t, st.ctx, st.staticMet);
  st.staticBand = band;
  st.staticCut = st.cutIndex;
}

/** Cuts one meter interval at restriction boundaries; energy is interpolated linearly, in whole Wh. */
function addInterval(st: BuildState, iv: Interval): void {
  const { ctx } = st;
  ctx.minCurrent = ctx.maxCurrent = iv.current;
  ctx.minPowerKw = ctx.maxPowerKw = iv.powerKw;
  let from = iv.a;
  let consumedWh = 0;
  while (from < iv.b) {
    while (st.cutIndex < st.cuts.length && st.cuts[st.cutIndex]! <= from) st.cutIndex++;
    const to = Math.min(iv.b, st.cuts[st.cutIndex] ?? Infinity, energyCut(st, iv, consumedWh, from));
    const upToWh = to === iv.b ? iv.energyWh : Math.round((iv.energyWh * (to - iv.a)) / (iv.b - iv.a));
    refreshStatic(st, from, st.energyMwh + consumedWh * 1000);
    const key = selectComponents(st.t, ctx, st.staticMet, st.sel);
    appendPiece(st, iv, from, to, upToWh - consumedWh, key);
    consumedWh = upToWh;
    from = to;
  }
  st.energyMwh += iv.energyWh * 1000;
}

/** Fills `iv` with the interval from reading `i` to the next one (or the session end). */
function readInterval(s: MeterSeries, i: number, start: number, end: number, iv: Interval): void {
  const smp = s.samples[i]!;
  const next = s.samples[i + 1];
  iv.a = Math.min(end, Math.max(start, start + toSecond(smp.timestampMs - s.startMs)));
  iv.b = next ? Math.min(end, Math.max(start, start + toSecond(next.timestampMs - s.startMs))) : end;
  iv.energyWh = next ? Math.round(next.energyWh - smp.energyWh) : 0;
  iv.isCharging = smp.isCharging;
  const derivedKw = iv.b > iv.a && smp.isCharging ? (iv.energyWh * 3600) / (iv.b - iv.a) : NaN;
  iv.powerKw = round4(smp.powerW !== undefined ? smp.powerW / 1000 : derivedKw);
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
export function buildSessionUsageReference(t: CompiledTariff, s: MeterSeries): SessionUsage {
  const start = toSecond(s.startMs);
  const end = Math.max(start, start + toSecond(s.endMs - s.startMs));
  const usage: SessionUsage = { timeZone: s.timeZone, startMs: start, endMs: end, periods: [], reservationExpired: false };
  const st = newBuildState(t, usage, timeCuts(t, s, start, end));
  const first = s.samples[0];
  const firstAt = first ? Math.min(end, start + toSecond(first.timestampMs - s.startMs)) : end;
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
  if (carryWh !== 0 && !st.open) {
    // a session shorter than half a second: its energy goes to a period of zero time
    addInterval(st, { a: start, b: start + 1, energyWh: 0, isCharging: true, powerKw: NaN, current: NaN });
    st.open!.chargingMs = 0;
  }
  if (carryWh !== 0) {
    st.open!.energyMwh += carryWh * 1000;
    st.energyMwh += carryWh * 1000;
  }
  return usage;
}
