// Pure: the energy meter of one connector. The register integrates power over time in fractional Wh and
// is read as whole Wh (rounded down, so that a reading never exceeds what was delivered and never falls).

export interface MeterRegister {
  /** Wh delivered since the meter was made, fractional */
  wh: number;
  /** the power drawn since `since` */
  powerW: number;
  since: number;
}

export function newMeter(startWh: number, at: number): MeterRegister {
  return { wh: startWh, powerW: 0, since: at };
}

/** Adds the energy of the power drawn since the last change, up to `at`. */
export function advance(m: MeterRegister, at: number): MeterRegister {
  const dtMs = Math.max(0, at - m.since);
  return { wh: m.wh + (m.powerW * dtMs) / 3_600_000, powerW: m.powerW, since: Math.max(at, m.since) };
}

/** The register brought up to `at`, drawing `powerW` from then on. */
export function changePower(m: MeterRegister, at: number, powerW: number): MeterRegister {
  return { ...advance(m, at), powerW };
}

/** What the meter shows: whole Wh. */
export function readingWh(m: MeterRegister): number {
  return Math.floor(m.wh + 1e-9);
}

/** State of charge after `wh` more energy went into a battery of `batteryWh` (capped at 100 %). */
export function socAfter(socPct: number, wh: number, batteryWh: number): number {
  return Math.min(100, socPct + (100 * wh) / batteryWh);
}
