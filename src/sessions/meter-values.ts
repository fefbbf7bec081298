// Pure parsing of OCPP 1.6 MeterValue structures. No I/O.
import type { MeterValuesRequest } from '../ocpp/v16/types.ts';
import { parseTimestamp } from '../shared/ranges.ts';

/**
 * OCPP 2.0.1 §2.45 SignedMeterValueType: how a SignedData sample was signed. A 1.6 SignedData sample has none
 * (its blob, e.g. OCMF, names its own method).
 */
export interface Signing {
  encodingMethod: string;
  signingMethod: string;
  publicKey: string | null;
}

type SampledValue16 = MeterValuesRequest['meterValue'][number]['sampledValue'][number];
/** A 1.6 SampledValue, or a 2.0.1 signedMeterValue in its shape (format SignedData) with its signing. */
export type SampledValue = SampledValue16 & { signing?: Signing };
/** A 1.6 MeterValue, whose sampled values may carry a 2.0.1 signing. */
export interface MeterValue {
  timestamp: string;
  sampledValue: SampledValue[];
}

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
  signing?: Signing;
}

/** A stored sample's signing (to spread into the Sample), or nothing when it has none (a 1.6 or Raw sample). */
export function signingOf(stored: { encodingMethod?: string | null; signingMethod?: string | null; publicKey?: string | null }): { signing?: Signing } {
  const { encodingMethod, signingMethod, publicKey } = stored;
  return encodingMethod == null ? {} : { signing: { encodingMethod, signingMethod: signingMethod ?? '', publicKey: publicKey ?? null } };
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
        ...(sv.signing ? { signing: sv.signing } : {}),
      });
    }
  }
  return out;
}

/**
 * The meter values without the sampled values PostgreSQL cannot store: a NUL character is valid JSON and fits
 * the OCPP schema, but no text or jsonb column. Each meter value stays (as `field[i]` in errors); `dropped` counts
 * the sampled values left out.
 */
export function storableMeterValues(meterValues: readonly MeterValue[]): { meterValues: MeterValue[]; dropped: number } {
  let dropped = 0;
  const kept = meterValues.map((mv) => {
    const sampledValue = mv.sampledValue.filter((sv) => !sv.value.includes('\u0000'));
    dropped += mv.sampledValue.length - sampledValue.length;
    return { ...mv, sampledValue };
  });
  return { meterValues: kept, dropped };
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

/** A total energy import register reading (Wh) at one instant. */
export interface RegisterReading {
  at: Date;
  wh: number;
}

/** OCPP 1.6 §7.31 Phase of a per-phase register: the line it measures (L1 and L1-N are the same line). */
const LINE_OF: Record<string, string> = { L1: 'L1', L2: 'L2', L3: 'L3', 'L1-N': 'L1', 'L2-N': 'L2', 'L3-N': 'L3' };

/**
 * The total energy import register readings among samples (OCPP 1.6 §7.43), one per timestamp, in time
 * order: the total (no phase) when the charger sent one, else the sum of its per-phase registers (L1, L2,
 * L3 or L1-N, …; one per line) at that timestamp, as meters that report only per phase do. Inlet
 * readings (the grid side) and non-numeric values are left out.
 */
export function energyRegisterReadings(samples: readonly Sample[]): RegisterReading[] {
  const byMs = new Map<number, { total?: number; lines: Map<string, number> }>();
  for (const s of samples) {
    if (s.measurand !== ENERGY_REGISTER || s.numeric === null || s.location === 'Inlet') continue;
    const line = s.phase === null ? undefined : LINE_OF[s.phase];
    const wh = toWh(s.numeric, s.unit);
    if (wh === null || (s.phase !== null && line === undefined)) continue;
    const ms = s.timestamp.getTime();
    let at = byMs.get(ms);
    if (!at) byMs.set(ms, (at = { lines: new Map() }));
    if (line === undefined) at.total = wh;
    else if (!at.lines.has(line)) at.lines.set(line, wh);
  }
  const readings: RegisterReading[] = [];
  for (const [ms, at] of byMs) {
    const wh = at.total ?? (at.lines.size > 0 ? [...at.lines.values()].reduce((a, b) => a + b, 0) : undefined);
    if (wh !== undefined) readings.push({ at: new Date(ms), wh });
  }
  return readings.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The latest total energy import register reading, in Wh (see energyRegisterReadings): the sample that drives a session's kWh. */
export function latestEnergyRegisterWh(samples: readonly Sample[]): RegisterReading | undefined {
  return energyRegisterReadings(samples).at(-1);
}
