import type { Knex } from 'knex';

// The audit log (issue 9): every change made through the admin API or the CLI, who made it and when,
// with the entity's state before and after (secrets redacted before they get here).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable();
    t.string('source', 10).notNullable(); // api | cli
    t.string('actor_kind', 20).notNullable(); // operator | api_key | cli
    t.string('actor_id', 100);
    t.string('actor_label', 254); // operator email, API key name, OS user of the CLI
    t.string('action', 200).notNullable(); // e.g. "PUT /tariffs/{id}", "cli operator add"
    t.string('entity_type', 50);
    t.string('entity_id', 255);
    t.jsonb('before');
    t.jsonb('after');
    t.jsonb('request'); // the request body or CLI arguments, redacted
    t.string('request_id', 100);
    t.index(['at']);
    t.index(['entity_type', 'entity_id']);
    t.index(['actor_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('audit_log');
}
