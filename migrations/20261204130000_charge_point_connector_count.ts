import type { Knex } from 'knex';

// OCPP 1.6 §9.1 NumberOfConnectors (Core, read-only): how many connectors the charger has, as read from
// it (GetConfiguration). When known, a higher connectorId in a charger's message is refused.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('charge_points', (t) => {
    t.integer('number_of_connectors');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('charge_points', (t) => {
    t.dropColumn('number_of_connectors');
  });
}
