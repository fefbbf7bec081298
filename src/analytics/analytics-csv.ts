// Pure: an analytics report as CSV (RFC 4180): a header of the report's fields, then one line per row.
// Numbers and decimal strings are written as computed ("." separator), null as an empty field.
import type { AnalyticsRow, Metric, Per } from './analytics.types.ts';

const COLUMNS: Record<Metric, readonly string[]> = {
  sessions: ['bucket', 'sessions', 'energyKwh', 'avgDurationMin', 'avgEnergyKwh', 'successRate', 'peakPowerKw'],
  revenue: ['bucket', 'currency', 'cdrs', 'credits', 'energyKwh', 'revenueExclVat', 'revenueInclVat'],
  utilization: ['bucket', 'locationId', 'evseUid', 'chargePointId', 'connectorId', 'periodSec', 'chargingSec', 'occupiedSec', 'chargingShare', 'occupiedShare'],
  availability: ['bucket', 'locationId', 'evseUid', 'chargePointId', 'connectorId', 'periodSec', 'maintenanceSec', 'downSec', 'uptime'],
  failures: ['chargePointId', 'locationId', 'faults', 'offlineEvents', 'failedStarts', 'sessions'],
};

// utilization and availability per bucket (the default): the EVSE columns give way to the count of EVSEs
const PER_BUCKET: Partial<Record<Metric, readonly string[]>> = {
  utilization: ['bucket', 'evses', 'periodSec', 'chargingSec', 'occupiedSec', 'chargingShare', 'occupiedShare'],
  availability: ['bucket', 'evses', 'periodSec', 'maintenanceSec', 'downSec', 'uptime'],
};

function field(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The CSV of `rows` of report `metric` (`per`: as the query asked), CRLF line ends. */
export function toAnalyticsCsv(metric: Metric, rows: readonly AnalyticsRow[], per: Per = 'evse'): string {
  const columns = (per === 'bucket' ? PER_BUCKET[metric] : undefined) ?? COLUMNS[metric];
  const lines = [columns.join(',')];
  for (const r of rows) lines.push(columns.map((c) => field((r as unknown as Record<string, unknown>)[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
