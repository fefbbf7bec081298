import type { Knex } from 'knex';

// An unpublished location is sent to the eMSP parties whose tokens charged there (OCPI 2.2.1 locations
// §8.3.1, src/locations/location-audience.repo.ts): that question is asked per location on every GET and
// push of one, so sessions are indexed by location.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.index(['location_id', 'token_fk'], 'sessions_location');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.dropIndex(['location_id', 'token_fk'], 'sessions_location');
  });
}
