import type { Knex } from 'knex';

// Live view (GET /api/v1/live/chargers, issue 9): keyset pages of chargers by id, per location and by
// connector status, without scanning 50,000 chargers.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('charge_points', (t) => t.index(['location_id', 'id'], 'charge_points_location_id_id'));
  await knex.schema.alterTable('connectors', (t) => t.index(['ocpp_status', 'charge_point_id'], 'connectors_status_charge_point'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('connectors', (t) => t.dropIndex([], 'connectors_status_charge_point'));
  await knex.schema.alterTable('charge_points', (t) => t.dropIndex([], 'charge_points_location_id_id'));
}
