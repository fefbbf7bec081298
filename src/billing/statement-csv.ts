// Pure: a statement as CSV (RFC 4180): one line per CDR, then one total line per currency. The last column
// names why cpms closed the CDR's session itself (issue 15), empty when the charger stopped it.
import type { DeliveryState, SettlementLine } from './settlement.ts';
import type { Statement } from './statement.types.ts';

const HEADER = ['line', 'cdr_id', 'session_id', 'created_at', 'currency', 'credit', 'kwh', 'total_time_h', 'total_parking_time_h', 'cost_excl_vat', 'cost_incl_vat', 'delivery', 'closed_by_cpms'];

function field(v: string | number | boolean | null): string {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const row = (values: Array<string | number | boolean | null>): string => values.map(field).join(',');

/**
 * The statement's CSV. Amounts are written exactly as stored (decimal strings, "." separator); credit
 * CDRs show their negative total_cost and positive volumes, as on the wire; totals net them.
 */
export function toStatementCsv(s: Statement, lines: readonly SettlementLine[], delivery: ReadonlyMap<string, DeliveryState>): string {
  const out = [row(HEADER)];
  for (const l of lines) {
    out.push(row(['CDR', l.cdrId, l.sessionId, l.createdAt.toISOString(), l.currency, l.credit, l.kwh, l.totalTimeHours, l.totalParkingHours, l.costExclVat, l.costInclVat, delivery.get(l.cdrId) ?? 'NONE', l.closeReason ?? null]));
  }
  for (const t of s.totals) {
    out.push(row(['TOTAL', `${t.cdrCount} CDRs (${t.creditCount} credit)`, null, null, t.currency, null, t.kwh, t.totalTimeHours, t.totalParkingHours, t.costExclVat, t.costInclVat, null, null]));
  }
  return `${out.join('\r\n')}\r\n`;
}
