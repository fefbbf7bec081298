// The OCPI status of EVSEs recomputed from their connectors, for a whole batch at once (issue 8): three
// statements whatever the number of EVSEs (inputs, the override's, the update), not five per EVSE.
import type { Knex } from 'knex';
import type { EvseStatusOverride } from './charger.types.ts';
import { evseStatusOf } from './connector-state.ts';
import * as repo from './evse-status.repo.ts';

/** An EVSE whose OCPI status changed (recomputed from its connectors). */
export interface EvseStatusChange {
  evseFk: number;
  locationId: string;
  evseUid: string;
  status: string;
}

/** Recomputes the EVSEs of `evseFks` (an override, e.g. maintenance, wins); returns the changes, by EVSE. */
export async function recomputeEvseStatuses(trx: Knex.Transaction | Knex, evseFks: readonly number[], override?: EvseStatusOverride): Promise<Map<number, EvseStatusChange>> {
  const changes = new Map<number, EvseStatusChange>();
  const unique = [...new Set(evseFks)];
  const inputs = await repo.listEvseStatusInputs(trx, unique);
  if (inputs.length === 0) return changes;
  const overridden = (await override?.(trx, inputs.map((e) => e.evseFk))) ?? new Map<number, string>();
  const computed = inputs.map((e) => ({ ...e, status: overridden.get(e.evseFk) ?? evseStatusOf(e.connectorStatuses, e.isOnline) }));
  const changed = await repo.updateEvseStatuses(trx, computed);
  for (const e of computed) if (changed.has(e.evseFk)) changes.set(e.evseFk, { evseFk: e.evseFk, locationId: e.locationId, evseUid: e.evseUid, status: e.status });
  return changes;
}
