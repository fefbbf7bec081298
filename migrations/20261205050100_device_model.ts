import type { Knex } from 'knex';

// OCPP 2.0.1 B07/B08 (issue 12): a station's device model as its NotifyReports describe it, one row per
// component × variable. The key columns hold the spec's optional parts as '' / 0 so that the primary key is total.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('device_model_variables', (t) => {
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.string('component_name', 50).notNullable();
    t.string('component_instance', 50).notNullable();
    t.integer('evse_id').notNullable(); // 0 = the station itself
    t.integer('connector_id').notNullable(); // 0 = the whole EVSE
    t.string('variable_name', 50).notNullable();
    t.string('variable_instance', 50).notNullable();
    t.jsonb('attributes').notNullable();
    t.jsonb('characteristics');
    t.timestamp('reported_at', { useTz: true }).notNullable();
    t.primary(['charge_point_id', 'component_name', 'component_instance', 'evse_id', 'connector_id', 'variable_name', 'variable_instance']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('device_model_variables');
}
