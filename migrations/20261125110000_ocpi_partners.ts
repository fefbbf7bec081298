import type { Knex } from 'knex';

// OCPI partners (eMSPs, hubs) with their credentials, roles and endpoints, and the outbox of pushes to
// them (delivered in order per object by src/partners/push.worker.ts).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ocpi_partners', (t) => {
    t.increments('id');
    t.string('country_code', 2).notNullable();
    t.string('party_id', 3).notNullable();
    t.string('role', 10).notNullable(); // the role invited / expected: EMSP | HUB | NSP | OTHER ...
    t.string('name', 100);
    t.jsonb('roles').notNullable().defaultTo('[]'); // CredentialsRole[] as received (wire format)
    t.string('versions_url', 255);
    t.string('version', 10);
    t.jsonb('endpoints').notNullable().defaultTo('[]'); // Endpoint[] of the chosen version (wire format)
    t.string('status', 12).notNullable(); // INVITED | REGISTERED | UNREGISTERED
    t.string('token_encoding', 6).notNullable().defaultTo('base64'); // how we send our token to them
    // Secrets. Tokens they use to call us are stored as SHA-256 only: token A (our invitation, dropped
    // once used) and the current one (B or C, whichever we generated). The token we call them with
    // must be kept as is.
    t.string('token_a_hash', 64).unique();
    t.string('token_hash', 64).unique();
    t.string('token_remote', 64);
    t.timestamp('registered_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // One registered connection per party. Invitations may overlap (the first to register wins), and a
  // handshake we initiate holds a row with an empty party until the partner's credentials name it.
  await knex.raw("create unique index ocpi_partners_registered_party on ocpi_partners (country_code, party_id) where status = 'REGISTERED'");

  await knex.schema.createTable('ocpi_outbox', (t) => {
    t.bigIncrements('id');
    t.integer('partner_fk').notNullable().references('ocpi_partners.id').onDelete('CASCADE');
    t.string('module', 20).notNullable();
    t.string('role', 8).notNullable(); // interface role of the partner's endpoint (RECEIVER)
    t.string('method', 6).notNullable();
    t.string('path', 255).notNullable().defaultTo('');
    t.jsonb('body');
    t.string('object_key', 120).notNullable(); // deliveries with the same key go strictly in id order
    t.jsonb('to_party'); // { country_code, party_id } for OCPI-to-* (default: the partner's party)
    t.jsonb('from_party'); // { country_code, party_id } for OCPI-from-* (default: our default party)
    t.string('status', 10).notNullable().defaultTo('PENDING'); // PENDING | SENDING | DELIVERED
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('last_error');
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("create index ocpi_outbox_due on ocpi_outbox (next_attempt_at, id) where status <> 'DELIVERED'");
  await knex.raw("create index ocpi_outbox_key on ocpi_outbox (partner_fk, object_key, id) where status <> 'DELIVERED'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('ocpi_outbox');
  await knex.schema.dropTableIfExists('ocpi_partners');
}
