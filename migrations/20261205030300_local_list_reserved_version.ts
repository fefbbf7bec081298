import type { Knex } from 'knex';

// OCPP 1.6 §3.5 local lists across cluster nodes: the next list version is reserved atomically in SQL before a
// SendLocalList goes out, so two nodes syncing one charger at once never send the same version twice.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('local_auth_lists', (t) => {
    t.integer('reserved_version'); // the highest version handed out for a SendLocalList (accepted or not)
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('local_auth_lists', (t) => {
    t.dropColumn('reserved_version');
  });
}
