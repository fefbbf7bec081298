// Pure: the WHERE conditions of an analytics query's scope (location, charger, eMSP party) as SQL text with
// positional bindings. The text is fixed per filter; only the bindings carry the caller's values.
import type { AnalyticsQuery } from './analytics.types.ts';

export interface SqlPart { sql: string; bindings: Array<string | number | Date> }

/** Column expressions the scope filters on; `party` is a boolean SQL test taking country then party id. */
export interface ScopeColumns { location: string; chargePoint: string; party?: string }

/** ` and …` conditions for the filters present in `q` (empty text when none). */
export function scopeConditions(q: AnalyticsQuery, cols: ScopeColumns): SqlPart {
  const parts: string[] = [];
  const bindings: Array<string | number | Date> = [];
  if (q.locationId !== undefined) { parts.push(`${cols.location} = ?`); bindings.push(q.locationId); }
  if (q.chargePointId !== undefined) { parts.push(`${cols.chargePoint} = ?`); bindings.push(q.chargePointId); }
  if (q.party !== undefined && cols.party) { parts.push(cols.party); bindings.push(q.party.countryCode, q.party.partyId); }
  return { sql: parts.map((p) => ` and ${p}`).join(''), bindings };
}
