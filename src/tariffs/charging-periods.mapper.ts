import type { CdrDimension, ChargingPeriod } from './tariff.types.ts';
import type { PeriodUsage } from './usage.types.ts';

const MS_PER_HOUR = 3_600_000;

/** OCPI numbers carry 4 decimals (OCPI 2.2.1 types §16.4 number). */
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** OCPI DateTime without the ".000" of whole seconds. */
export function toOcpiDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * Maps engine periods to OCPI ChargingPeriods. Hours are written with 4 decimals (0.36 s), which
 * `fromChargingPeriod` reads back to the exact second; energy is whole Wh, so kWh needs only 3 decimals.
 */
export function toChargingPeriods(periods: readonly PeriodUsage[], tariffId?: string): ChargingPeriod[] {
  return periods.map((p) => {
    const dimensions: CdrDimension[] = [];
    if (p.chargingMs > 0 || p.energyMwh !== 0) dimensions.push({ type: 'ENERGY', volume: p.energyMwh / 1e6 });
    if (p.chargingMs > 0) dimensions.push({ type: 'TIME', volume: round4(p.chargingMs / MS_PER_HOUR) });
    if (p.parkingMs > 0) dimensions.push({ type: 'PARKING_TIME', volume: round4(p.parkingMs / MS_PER_HOUR) });
    if (p.reservationMs > 0) {
      dimensions.push({ type: 'RESERVATION_TIME', volume: round4(p.reservationMs / MS_PER_HOUR) });
    }
    if (Number.isFinite(p.minCurrent)) dimensions.push({ type: 'MIN_CURRENT', volume: p.minCurrent });
    if (Number.isFinite(p.maxCurrent)) dimensions.push({ type: 'MAX_CURRENT', volume: p.maxCurrent });
    if (Number.isFinite(p.minPowerKw)) dimensions.push({ type: 'MIN_POWER', volume: p.minPowerKw });
    if (Number.isFinite(p.maxPowerKw)) dimensions.push({ type: 'MAX_POWER', volume: p.maxPowerKw });
    const period: ChargingPeriod = { start_date_time: toOcpiDateTime(p.startMs), dimensions };
    if (tariffId !== undefined) period.tariff_id = tariffId;
    return period;
  });
}

/** Hours to ms, to the nearest second: TIME and PARKING_TIME step_size multiplier is 1 s (§11.4.5). */
const hoursToMs = (h: number): number => Math.round(h * 3600) * 1000;

/**
 * Maps one validated OCPI ChargingPeriod (start already parsed) to engine units. ENERGY is kept to the
 * mWh, since step_size counts in (fractional) Wh (OCPI 2.2.1 tariffs §11.4.2 note: 115.2 Wh bills 116 Wh).
 * CURRENT and POWER (session-only averages) stand in for missing MIN_/MAX_ values.
 */
export function fromChargingPeriod(period: ChargingPeriod, startMs: number): PeriodUsage {
  const p: PeriodUsage = {
    startMs,
    energyMwh: 0,
    chargingMs: 0,
    parkingMs: 0,
    reservationMs: 0,
    minCurrent: NaN,
    maxCurrent: NaN,
    minPowerKw: NaN,
    maxPowerKw: NaN,
  };
  let avgCurrent = NaN;
  let avgPower = NaN;
  for (const d of period.dimensions) {
    const v = d.volume;
    if (d.type === 'ENERGY') p.energyMwh += Math.round(v * 1e6);
    else if (d.type === 'TIME') p.chargingMs += hoursToMs(v);
    else if (d.type === 'PARKING_TIME') p.parkingMs += hoursToMs(v);
    else if (d.type === 'RESERVATION_TIME') p.reservationMs += hoursToMs(v);
    else if (d.type === 'MIN_CURRENT') p.minCurrent = v;
    else if (d.type === 'MAX_CURRENT') p.maxCurrent = v;
    else if (d.type === 'MIN_POWER') p.minPowerKw = v;
    else if (d.type === 'MAX_POWER') p.maxPowerKw = v;
    else if (d.type === 'CURRENT') avgCurrent = v;
    else if (d.type === 'POWER') avgPower = v;
  }
  p.minCurrent = firstKnown(p.minCurrent, avgCurrent, p.maxCurrent);
  p.maxCurrent = firstKnown(p.maxCurrent, avgCurrent, p.minCurrent);
  p.minPowerKw = firstKnown(p.minPowerKw, avgPower, p.maxPowerKw);
  p.maxPowerKw = firstKnown(p.maxPowerKw, avgPower, p.minPowerKw);
  return p;
}

function firstKnown(...xs: number[]): number {
  for (const x of xs) if (!Number.isNaN(x)) return x;
  return NaN;
}
