import type { Knex } from 'knex';

// Alerts (issue 9): every rule names what an alert is about in `subject` (e.g. `charger:CP1`,
// `connector:CP1:2`, `session:42`); at most one open alert per kind and subject, so a condition that
// lasts keeps one alert. An operator acknowledges an alert (it stays open until its condition ends).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('alerts', (t) => {
    t.string('subject', 120);
    t.timestamp('acknowledged_at', { useTz: true });
    t.string('acknowledged_by', 100);
    t.string('ack_note', 500);
  });
  await knex.raw('create unique index alerts_open_per_subject on alerts (kind, subject) where closed_at is null and subject is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists alerts_open_per_subject');
  await knex.schema.alterTable('alerts', (t) => {
    t.dropColumn('ack_note');
    t.dropColumn('acknowledged_by');
    t.dropColumn('acknowledged_at');
    t.dropColumn('subject');
  });
}
