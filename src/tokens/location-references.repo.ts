import type { Db } from '../db/knex.ts';
import type { LocationReferences } from './token.types.ts';

/**
 * OCPI 2.2.1 tokens §12.4.3 LocationReferences of a charger for a real-time authorization: its
 * location and EVSE uids, narrowed to the connector's EVSE when the connector is known
 * (StartTransaction). Undefined when the charger is not attached to a location.
 */
export async function findLocationReferences(db: Db, chargePointId: string, connectorId?: number): Promise<LocationReferences | undefined> {
  const q = db('evses').where({ 'evses.charge_point_id': chargePointId, 'evses.is_removed': false }).orderBy('evses.id').select('evses.uid', 'evses.location_id');
  if (connectorId !== undefined && connectorId > 0) {
    q.whereIn('evses.id', db('connectors').where({ charge_point_id: chargePointId, connector_number: connectorId }).whereNotNull('evse_fk').select('evse_fk'));
  }
  let rows: Array<{ uid: string; location_id: string }> = await q;
  if (rows.length === 0 && connectorId !== undefined) return findLocationReferences(db, chargePointId);
  if (rows.length === 0) {
    const cp = await db('charge_points').where({ id: chargePointId }).first('location_id');
    return cp?.location_id ? { location_id: cp.location_id } : undefined;
  }
  rows = rows.filter((r) => r.location_id === rows[0].location_id);
  return { location_id: rows[0].location_id, evse_uids: rows.map((r) => r.uid) };
}
