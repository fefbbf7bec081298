// Pure parsing of OCPP 1.6 MeterValue structures. No I/O.
import type { MeterValuesRequest } from '../ocpp/v16/types.ts';
import { parseTimestamp } from '../shared/ranges.ts';

export type MeterValue = MeterValuesRequest['meterValue'][number];

export interface Sample {
  timestamp: Date;
  measurand: string;
  phase: string | null;
  unit: string | null;
  location: string;
  context: string;
  format: string;
  value: string;
  /** The value as an exact decimal string, or null when it is not a number (SignedData). */
  numeric: string | null;
}

const ENERGY_REGISTER = 'Energy.Active.Import.Register';
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** Longer decimal strings are no meter reading (and could overflow the numeric column): kept as text only. */
const MAX_DECIMAL_LENGTH = 40;

/** Exact decimal string of `raw`, or null when `raw` is not a plain number of sane size. */
export function toDecimalString(raw: string): string | null {
  const trimmed = raw.trim();
  if (trimmed.length > MAX_DECIMAL_LENGTH || !DECIMAL.test(trimmed)) return null;
  if (!/[eE]/.test(trimmed)) return trimmed.replace(/^\+/, '');
  // Exponent notation is rare on chargers; Number is exact enough to re-render it at 6 decimals.
  const n = Number(trimmed);
  return Number.isFinite(n) && Math.abs(n) < 1e21 ? n.toFixed(6) : null;
}

/**
 * OCPP 1.6 §7.43 SampledValue: flattens meter values into samples, applying the spec defaults
 * (measurand Energy.Active.Import.Register, context Sample.Periodic, format Raw, location Outlet;
 * unit Wh for energy registers). An unusable timestamp throws InvalidInput naming `field[i]`.
 */
export function flattenMeterValues(meterValues: MeterValue[], field = 'meterValue'): Sample[] {
  const out: Sample[] = [];
  for (const [i, mv] of meterValues.entries()) {
    const timestamp = parseTimestamp(mv.timestamp, `${field}[${i}].timestamp`);
    for (const sv of mv.sampledValue) {
      const measurand = sv.measurand ?? ENERGY_REGISTER;
      const format = sv.format ?? 'Raw';
      out.push({
        timestamp,
        measurand,
        phase: sv.phase ?? null,
        unit: sv.unit ?? (measurand.startsWith('Energy.') ? 'Wh' : null),
        location: sv.location ?? 'Outlet',
        context: sv.context ?? 'Sample.Periodic',
        format,
        value: sv.value,
        numeric: format === 'Raw' ? toDecimalString(sv.value) : null,
      });
    }
  }
  return out;
}

/** Whole Wh of a decimal string in `unit` (Wh or kWh), rounded half-up; null if not convertible. */
export function toWh(decimal: string, unit: string | null): number | null {
  const factor = unit === 'kWh' ? 1000 : unit === 'Wh' || unit === null ? 1 : 0;
  if (factor === 0) return null;
  const negative = decimal.startsWith('-');
  const [intPart, frac = ''] = decimal.replace(/^[+-]/, '').split('.');
  const digits = factor === 1000 ? 3 : 0;
  const padded = (frac + '000').slice(0, digits);
  const whole = Number(`${intPart || '0'}${padded}`);
  const roundUp = (frac[digits] ?? '0') >= '5' ? 1 : 0;
  const wh = whole + roundUp;
  // Beyond 2^53 Wh a reading is not exact in a JS number (nor a real meter): not convertible.
  if (!Number.isSafeInteger(wh)) return null;
  return negative ? -wh : wh;
}

/**
 * The latest total energy import register reading, in Wh: the sample that drives a session's kWh.
 * Per-phase readings are ignored when a total (no phase) is present.
 */
export function latestEnergyRegisterWh(samples: Sample[]): { wh: number; at: Date } | undefined {
  let best: { wh: number; at: Date } | undefined;
  for (const s of samples) {
    if (s.measurand !== ENERGY_REGISTER || s.phase !== null || s.numeric === null || s.location === 'Inlet') continue;
    const wh = toWh(s.numeric, s.unit);
    if (wh === null) continue;
    if (!best || s.timestamp.getTime() >= best.at.getTime()) best = { wh, at: s.timestamp };
  }
  return best;
}
