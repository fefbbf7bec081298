import type { Knex } from 'knex';

// OCPI tokens RECEIVER and hubclientinfo RECEIVER: cached real-time authorizations (tokens §12.2.2.2),
// per-partner token synchronisation state (tokens §12.1.2 pull model) and ClientInfo objects (§15.4.1).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('authorization_cache', (t) => {
    t.bigIncrements('id');
    t.integer('token_fk').notNullable().references('id_tokens.id').onDelete('CASCADE');
    t.string('location_id', 36).notNullable().defaultTo(''); // '' = asked without LocationReferences
    t.string('allowed', 12).notNullable(); // OCPI AllowedType
    t.string('authorization_reference', 36);
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['token_fk', 'location_id']);
    t.index(['expires_at']);
  });

  await knex.schema.createTable('token_sync_state', (t) => {
    t.integer('partner_fk').primary().references('ocpi_partners.id').onDelete('CASCADE');
    // date_from of the next run: the start of the last successful run (tokens §12.2.2.1)
    t.timestamp('last_success_started_at', { useTz: true });
    t.timestamp('last_run_at', { useTz: true });
    t.text('last_error');
  });

  await knex.schema.createTable('hub_client_info', (t) => {
    t.increments('id');
    t.integer('partner_fk').notNullable().references('ocpi_partners.id').onDelete('CASCADE'); // the hub
    t.string('country_code', 2).notNullable();
    t.string('party_id', 3).notNullable();
    t.string('role', 5).notNullable(); // OCPI Role
    t.string('status', 10).notNullable(); // CONNECTED | OFFLINE | PLANNED | SUSPENDED
    t.timestamp('last_updated', { useTz: true }).notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['partner_fk', 'country_code', 'party_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('hub_client_info');
  await knex.schema.dropTableIfExists('token_sync_state');
  await knex.schema.dropTableIfExists('authorization_cache');
}
