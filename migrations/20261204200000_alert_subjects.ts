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
  // Alerts of sessions opened before (zombie rules) get the subject their kind now gives them, so that a
  // rule raising the same alert again meets the open one instead of the per-session unique index.
  await knex.raw(`update alerts set subject = 'session:' || session_id where subject is null and session_id is not null`);
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
