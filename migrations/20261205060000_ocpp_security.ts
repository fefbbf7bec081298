import type { Knex } from 'knex';

// OCPP 1.6 security whitepaper (issue 13): the highest security profile a charger was raised to or
// connected with (a handshake with a lower one is refused), and the security events chargers report.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('charge_points', (t) => {
    t.smallint('security_profile');
  });
  await knex.schema.createTable('security_events', (t) => {
    t.bigIncrements('id');
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.string('type', 50).notNullable();
    t.string('tech_info', 255);
    t.boolean('is_critical').notNullable();
    /** When it happened, by the charger's clock. */
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.index(['charge_point_id', 'id']);
    t.index(['received_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('security_events');
  await knex.schema.alterTable('charge_points', (t) => {
    t.dropColumn('security_profile');
  });
}
