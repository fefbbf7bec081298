import type { Knex } from 'knex';

// Load management (issue 10): the capacity tree (a site's grid connection → panels → circuits, any depth),
// the chargers attached to its nodes, the allocation last sent per session, and a priority per driver group.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('load_groups', (t) => {
    t.increments('id');
    t.string('name', 100).notNullable().unique();
    // RESTRICT: a node with children is not deleted (the service answers 409 first)
    t.integer('parent_id').references('load_groups.id').onDelete('RESTRICT');
    t.decimal('max_current_a', 8, 1).notNullable(); // per phase
    t.smallint('phases').notNullable(); // 1 (L1 only) | 3
    t.decimal('margin_a', 8, 1).notNullable().defaultTo(0);
    t.jsonb('schedule').notNullable().defaultTo('[]'); // [{ startsAt: ISO, maxCurrentA }], sorted
    t.jsonb('unmanaged_a'); // { L1, L2, L3 } of a building's load; null: none
    t.string('unmanaged_source', 10); // fixed | measured
    t.timestamp('unmanaged_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['parent_id']);
  });
  await knex.schema.createTable('load_group_chargers', (t) => {
    t.string('charge_point_id', 48).primary().references('charge_points.id').onDelete('CASCADE'); // one group per charger
    t.integer('load_group_fk').notNullable().references('load_groups.id').onDelete('CASCADE');
    t.string('phase_rotation', 3); // OCPP 1.6 ConnectorPhaseRotation (RST, STR, …); null: unknown (RST assumed)
    t.string('phase_rotation_source', 10); // operator | charger
    t.decimal('max_current_a', 8, 1); // the operator's upper bound per phase; null: the connector's rating
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['load_group_fk']);
  });
  await knex.schema.createTable('load_allocations', (t) => {
    t.integer('session_fk').primary().references('sessions.id').onDelete('CASCADE');
    t.string('charge_point_id', 48).notNullable();
    t.integer('connector_number').notNullable();
    t.decimal('limit_a', 8, 1).notNullable(); // the limit now that was sent
    t.jsonb('periods').notNullable(); // [{ startsAt: epoch ms, limitA }] as sent
    t.smallint('phases').notNullable();
    t.string('status', 12).notNullable(); // the charger's answer: Accepted | Rejected | NotSupported | Failed | Offline
    t.boolean('uncontrolled').notNullable().defaultTo(false);
    t.timestamp('sent_at', { useTz: true }).notNullable();
    t.index(['charge_point_id']);
  });
  await knex.schema.alterTable('driver_groups', (t) => {
    t.integer('priority').notNullable().defaultTo(0); // higher is served first when capacity is short
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('driver_groups', (t) => {
    t.dropColumn('priority');
  });
  await knex.schema.dropTableIfExists('load_allocations');
  await knex.schema.dropTableIfExists('load_group_chargers');
  await knex.schema.dropTableIfExists('load_groups');
}
