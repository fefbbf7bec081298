import type { Knex } from 'knex';

// OCPI 2.2.1 chargingprofiles, Sender interface PUT: the CPO keeps a Sender informed of changes to a
// session's ActiveChargingProfile only once that Sender has successfully set a profile on the session,
// and never otherwise. One row per (session, Sender), kept when the profile is cleared again.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ocpi_charging_profile_senders', (t) => {
    t.integer('session_fk').notNullable().references('sessions.id').onDelete('CASCADE');
    t.integer('partner_fk').notNullable().references('ocpi_partners.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['session_fk', 'partner_fk']);
  });
  // Profiles set before this table existed: their eMSP had its PUT accepted, which is all we know.
  await knex.raw(`insert into ocpi_charging_profile_senders (session_fk, partner_fk)
    select session_fk, partner_fk from ocpi_charging_profiles where partner_fk is not null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('ocpi_charging_profile_senders');
}
