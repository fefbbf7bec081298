import type { Knex } from 'knex';

// OCPI 2.2.1 commands and charging profiles (CPO receiver): result URLs in the outbox, reservations made by eMSPs (RESERVE_NOW),
// remote starts awaiting the charger's StartTransaction (START_SESSION), and the charging profile an
// eMSP set on a session (its OCPP chargingProfileId).
export async function up(knex: Knex): Promise<void> {
  // Asynchronous results go to the URL the partner gave (commands §13.2.2 response_url), not to an endpoint.
  await knex.schema.alterTable('ocpi_outbox', (t) => {
    t.string('url', 255);
  });
  await knex.schema.alterTable('reservations', (t) => {
    t.integer('partner_fk').references('ocpi_partners.id').onDelete('SET NULL');
    t.string('ocpi_reservation_id', 36); // the eMSP's reservation_id; never sent to the charger (commands §13.3.4)
    t.string('location_id', 36);
    t.string('evse_uid', 36);
    t.integer('token_fk').references('id_tokens.id').onDelete('SET NULL');
    t.string('authorization_reference', 36);
    t.string('response_url', 255);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // commands §13.3.4: a RESERVE_NOW with the same reservation_id for the same location replaces it.
  await knex.raw('create unique index reservations_ocpi_key on reservations (partner_fk, location_id, ocpi_reservation_id) where ocpi_reservation_id is not null');

  await knex.schema.createTable('ocpi_remote_starts', (t) => {
    t.increments('id');
    t.integer('partner_fk').notNullable().references('ocpi_partners.id').onDelete('CASCADE');
    t.integer('token_fk').references('id_tokens.id').onDelete('SET NULL');
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.integer('connector_number'); // null: the charger chooses
    t.string('id_tag', 36).notNullable();
    t.string('authorization_reference', 36);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.integer('session_fk').references('sessions.id').onDelete('SET NULL'); // set once a StartTransaction used it
    t.index(['charge_point_id', 'id_tag']);
  });

  await knex.schema.createTable('ocpi_charging_profiles', (t) => {
    t.increments('id'); // doubles as the OCPP chargingProfileId
    t.integer('session_fk').notNullable().unique().references('sessions.id').onDelete('CASCADE');
    t.integer('partner_fk').references('ocpi_partners.id').onDelete('SET NULL');
    t.jsonb('profile').notNullable(); // the OCPI ChargingProfile as received
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('ocpi_outbox', (t) => {
    t.dropColumn('url');
  });
  await knex.schema.dropTableIfExists('ocpi_charging_profiles');
  await knex.schema.dropTableIfExists('ocpi_remote_starts');
  await knex.raw('drop index if exists reservations_ocpi_key');
  await knex.schema.alterTable('reservations', (t) => {
    for (const c of ['partner_fk', 'ocpi_reservation_id', 'location_id', 'evse_uid', 'token_fk', 'authorization_reference', 'response_url', 'updated_at']) t.dropColumn(c);
  });
}
