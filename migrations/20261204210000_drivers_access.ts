import type { Knex } from 'knex';

// Drivers, groups and access rules (issue 9 "Drivers and groups"): a driver owns tokens; groups of drivers
// get access rules (a location or one EVSE, weekdays, a local-time window, an optional tariff); a location
// is public (anyone), restricted (its groups' drivers only) or private (its groups' drivers only, and never
// published over OCPI). A refused token is recorded in access_refusals with the reason.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('drivers', (t) => {
    t.increments('id');
    t.string('name', 100).notNullable();
    t.string('email', 254);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.raw('create unique index drivers_email_lower_unique on drivers (lower(email))');
  await knex.schema.alterTable('id_tokens', (t) => {
    t.integer('driver_fk').references('drivers.id').onDelete('SET NULL');
    t.index(['driver_fk']);
  });
  await knex.schema.createTable('driver_groups', (t) => {
    t.increments('id');
    t.string('name', 100).notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('driver_group_members', (t) => {
    t.integer('group_fk').notNullable().references('driver_groups.id').onDelete('CASCADE');
    t.integer('driver_fk').notNullable().references('drivers.id').onDelete('CASCADE');
    t.primary(['group_fk', 'driver_fk']);
    t.index(['driver_fk']);
  });
  await knex.schema.createTable('access_rules', (t) => {
    t.increments('id');
    t.integer('group_fk').notNullable().references('driver_groups.id').onDelete('CASCADE');
    // Exactly one of the two: the whole location, or one EVSE (by its OCPI uid).
    t.string('location_id', 36).references('locations.id').onDelete('CASCADE');
    t.string('evse_uid', 36).references('evses.uid').onDelete('CASCADE');
    t.jsonb('weekdays').notNullable(); // ISO weekdays 1 (Monday) .. 7 (Sunday), in the location's time zone
    t.string('start_time', 5); // HH:MM local; null with end_time null = all day
    t.string('end_time', 5); // end <= start: the window runs past midnight into the next day
    t.string('tariff_id', 36);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['group_fk']);
  });
  await knex.raw('alter table access_rules add constraint access_rules_one_target check ((location_id is null) <> (evse_uid is null))');
  await knex.schema.alterTable('locations', (t) => {
    t.string('access_mode', 10).notNullable().defaultTo('public'); // public | restricted | private
  });
  await knex.schema.createTable('access_refusals', (t) => {
    t.bigIncrements('id');
    t.string('id_tag', 36).notNullable();
    t.integer('token_fk');
    t.string('charge_point_id', 48).notNullable();
    t.integer('connector_id');
    t.string('location_id', 36);
    t.string('status', 20).notNullable(); // the OCPP AuthorizationStatus answered
    t.string('reason', 40).notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.index(['charge_point_id', 'at']);
    t.index(['id_tag', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('access_refusals');
  await knex.schema.alterTable('locations', (t) => t.dropColumn('access_mode'));
  await knex.schema.dropTableIfExists('access_rules');
  await knex.schema.dropTableIfExists('driver_group_members');
  await knex.schema.dropTableIfExists('driver_groups');
  await knex.schema.alterTable('id_tokens', (t) => t.dropColumn('driver_fk'));
  await knex.schema.dropTableIfExists('drivers');
}
