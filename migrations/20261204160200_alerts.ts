import type { Knex } from 'knex';

// Alerts (issue 15, kept generic for later issues): something an operator should know of, e.g. a zombie
// session rule that matched. Open while closed_at is null; at most one open alert of a kind per session.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('alerts', (t) => {
    t.bigIncrements('id');
    t.string('kind', 40).notNullable();
    t.string('severity', 10).notNullable(); // info | warning | critical
    t.string('charge_point_id', 48);
    t.integer('connector_id');
    t.integer('session_id');
    t.text('message').notNullable();
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.timestamp('closed_at', { useTz: true });
    t.index(['closed_at', 'opened_at']);
    t.index(['charge_point_id', 'opened_at']);
  });
  await knex.raw('create unique index alerts_open_per_session on alerts (session_id, kind) where closed_at is null and session_id is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('alerts');
}
