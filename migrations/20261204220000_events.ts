import type { Knex } from 'knex';

// Live monitoring (issue 9): every event streamed on GET /api/v1/events, kept for a while so a client can
// resume with Last-Event-ID. The id comes from the table's sequence (one for every node); events are inserted
// one at a time under a transaction advisory lock, so ids become visible in increasing order and a reader
// that has seen id N never sees a smaller one appear later. Deleted after config events.retentionHours.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('events', (t) => {
    t.bigIncrements('id');
    t.string('type', 40).notNullable();
    t.string('charge_point_id', 48);
    t.string('location_id', 36);
    t.jsonb('data').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.index(['occurred_at']);
    t.index(['charge_point_id', 'id']);
    t.index(['location_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('events');
}
