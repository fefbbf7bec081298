import type { Knex } from 'knex';

// Webhooks (issue 9): the operator's HTTP endpoints told of alerts. A delivery is a row queued in the
// transaction that changed the alert, sent by a worker with retries and backoff (like the OCPI outbox),
// and kept as the delivery log. The secret signs each request (HMAC-SHA256), so it is stored as given.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhooks', (t) => {
    t.increments('id');
    t.text('url').notNullable();
    t.string('secret', 200).notNullable();
    t.jsonb('kinds'); // alert kinds delivered; null = every kind
    t.boolean('enabled').notNullable().defaultTo(true);
    t.string('description', 255);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.bigIncrements('id');
    t.integer('webhook_fk').notNullable().references('webhooks.id').onDelete('CASCADE');
    t.string('event', 40).notNullable(); // alert.opened | alert.closed | alert.acknowledged
    t.bigInteger('alert_fk');
    t.jsonb('body').notNullable();
    t.string('status', 12).notNullable(); // PENDING | SENDING | DELIVERED | FAILED
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable();
    t.integer('last_status_code');
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('delivered_at', { useTz: true });
    t.index(['webhook_fk', 'id']);
  });
  await knex.raw(`create index webhook_deliveries_due on webhook_deliveries (next_attempt_at, id) where status in ('PENDING', 'SENDING')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('webhook_deliveries');
  await knex.schema.dropTableIfExists('webhooks');
}
