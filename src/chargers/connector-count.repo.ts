import type { Db } from '../db/knex.ts';

/** The charger's OCPP NumberOfConnectors as last read from it, or undefined when unknown. */
export async function findNumberOfConnectors(db: Db, chargePointId: string): Promise<number | undefined> {
  const row = await db('charge_points').where({ id: chargePointId }).first('number_of_connectors');
  return row?.number_of_connectors ?? undefined;
}

export async function updateNumberOfConnectors(db: Db, chargePointId: string, count: number): Promise<void> {
  await db('charge_points').where({ id: chargePointId }).update({ number_of_connectors: count });
}
