// Pure: the WHERE conditions of an analytics query's scope (location, charger, eMSP party, driver group) as SQL text with
// positional bindings. The text is fixed per filter; only the bindings carry the caller's values.
import type { AnalyticsQuery } from './analytics.types.ts';

export interface SqlPart { sql: string; bindings: Array<string | number | Date> }

/**
 * Column expressions the scope filters on; `party` is a boolean SQL test taking country then party id,
 * `group` one taking a driver group id (a report without them ignores those filters).
 */
export interface ScopeColumns { location: string; chargePoint: string; party?: string; group?: string }

/** ` and …` conditions for the filters present in `q` (empty text when none). */
export function scopeConditions(q: AnalyticsQuery, cols: ScopeColumns): SqlPart {
  const parts: string[] = [];
  const bindings: Array<string | number | Date> = [];
  if (q.locationId !== undefined) { parts.push(`${cols.location} = ?`); bindings.push(q.locationId); }
  if (q.chargePointId !== undefined) { parts.push(`${cols.chargePoint} = ?`); bindings.push(q.chargePointId); }
  if (q.party !== undefined && cols.party) { parts.push(cols.party); bindings.push(q.party.countryCode, q.party.partyId); }
  if (q.groupId !== undefined && cols.group) { parts.push(cols.group); bindings.push(q.groupId); }
  return { sql: parts.map((p) => ` and ${p}`).join(''), bindings };
}

/** A boolean SQL test of the session whose id is `sessionId`: its token's driver is in the group bound next. */
export const inDriverGroup = (sessionId: string): string =>
  `exists (select 1 from sessions gs join id_tokens gt on gt.id = gs.token_fk join driver_group_members gm on gm.driver_fk = gt.driver_fk where gs.id = ${sessionId} and gm.group_fk = ?)`;
