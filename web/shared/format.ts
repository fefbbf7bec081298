// Pure: how the web apps show numbers and states (issue 11); no DOM, unit-tested in test/unit/web.

/** "12.345 kWh" from Wh or kWh with 3 decimals. */
export const formatKwh = (kWh: number): string => `${kWh.toFixed(3)} kWh`;

/** "1:02:03" (or "2:03") from seconds. */
export function formatDuration(totalSec: number): string {
  const s = Math.max(0, Math.floor(totalSec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** "11 kW", "7.4 kW", "350 kW". */
export const formatPower = (kW: number): string => `${Number.isInteger(kW) ? kW : kW.toFixed(1)} kW`;

export type Tone = 'ok' | 'busy' | 'bad' | 'off' | 'unknown';

/** The colour family of an OCPP 1.6 connector status (§7.7) or a driver availability word. */
export function toneOf(status: string | null | undefined): Tone {
  switch (status) {
    case 'Available': case 'AVAILABLE': return 'ok';
    case 'Preparing': case 'Charging': case 'SuspendedEV': case 'SuspendedEVSE': case 'Finishing': case 'Reserved':
    case 'CHARGING': case 'OCCUPIED': return 'busy';
    case 'Faulted': case 'FAULTED': return 'bad';
    case 'Unavailable': case 'UNAVAILABLE': case 'OFFLINE': case 'offline': return 'off';
    default: return 'unknown';
  }
}

export interface Counts { total: number; available: number; charging: number; faulted: number; offline: number }

/** A location's tone from its EVSE counts: faulted first, then all offline, then any free, then busy. */
export function locationTone(c: Counts): Tone {
  if (c.total === 0) return 'unknown';
  if (c.faulted > 0) return 'bad';
  if (c.offline === c.total) return 'off';
  if (c.available > 0) return 'ok';
  return c.charging > 0 ? 'busy' : 'unknown';
}

/** CSV of rows (RFC 4180 quoting), columns in the given order. */
export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  const cell = (v: unknown): string => {
    const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}

// OCPI 2.2.1 locations §8.4.4 ConnectorType: the names drivers know.
const CONNECTOR_NAMES: Record<string, string> = {
  IEC_62196_T2: 'Type 2', IEC_62196_T2_COMBO: 'CCS (Combo 2)', IEC_62196_T1: 'Type 1', IEC_62196_T1_COMBO: 'CCS (Combo 1)', CHADEMO: 'CHAdeMO',
  IEC_62196_T3A: 'Type 3A', IEC_62196_T3C: 'Type 3C', DOMESTIC_F: 'Schuko', TESLA_S: 'Tesla', GBT_AC: 'GB/T AC', GBT_DC: 'GB/T DC', CHAOJI: 'ChaoJi',
};

/** "Type 2" for IEC_62196_T2; an unknown type as the spec names it. */
export const connectorName = (standard: string | null): string => (standard ? (CONNECTOR_NAMES[standard] ?? standard) : 'connector');
