import type { Knex } from 'knex';

// OCPI locations at network scale (issue 8): a page of a party's published locations in their list order
// (created_at, id) as an index-only scan, and the page's EVSEs and connectors by their parent, without
// scanning 50,000 EVSEs per page (these also serve the last_updated filter's max() per location).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('locations', (t) => t.index(['party_fk', 'publish', 'created_at', 'id'], 'locations_party_publish_created_id'));
  await knex.schema.alterTable('evses', (t) => t.index(['location_id', 'last_updated'], 'evses_location_last_updated'));
  await knex.schema.alterTable('connectors', (t) => t.index(['evse_fk', 'last_updated'], 'connectors_evse_last_updated'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('connectors', (t) => t.dropIndex([], 'connectors_evse_last_updated'));
  await knex.schema.alterTable('evses', (t) => t.dropIndex([], 'evses_location_last_updated'));
  await knex.schema.alterTable('locations', (t) => t.dropIndex([], 'locations_party_publish_created_id'));
}
