import type { Knex } from 'knex';

// No session ends unbilled silently (issue 7): when a session stops, whether it got its CDR is recorded on
// it. cdr_status: CREATED (its CDR exists), FAILED (it could not be built: cdr_error says why; the
// operator fixes the data and asks for the CDR again), NOT_BILLABLE (an INVALID session: its start was
// refused, OCPI 2.2.1 sessions §9.4.2, and it is never billed). Null while the session runs.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.string('cdr_status', 12);
    t.text('cdr_error');
  });
  // Sessions stopped before: billed, refused, or ended without a CDR that nobody was told of.
  await knex.raw(`update sessions s set cdr_status = 'CREATED' where exists (select 1 from cdrs c where c.session_fk = s.id and not c.credit)`);
  await knex.raw(`update sessions set cdr_status = 'NOT_BILLABLE', cdr_error = 'session INVALID: its start was refused, never billed' where stop_at is not null and cdr_status is null and status = 'INVALID'`);
  await knex.raw(`update sessions set cdr_status = 'FAILED', cdr_error = 'no CDR was created when it stopped (before the reason was recorded): check its location, times and tariff, then ask for its CDR' where stop_at is not null and cdr_status is null`);
  await knex.raw(`create index sessions_cdr_failed on sessions (id) where cdr_status = 'FAILED'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists sessions_cdr_failed');
  await knex.schema.alterTable('sessions', (t) => {
    t.dropColumn('cdr_error');
    t.dropColumn('cdr_status');
  });
}
