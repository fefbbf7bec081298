import type { Knex } from 'knex';

// OCPP 1.6 §7.2 ConcurrentTx (issue 8, fleet scale): every Authorize and StartTransaction asks whether the
// token has an ACTIVE session elsewhere. No index led from a token to its sessions, so each asked read the whole
// sessions table (0.25-0.4 ms at 2,000 sessions, growing with every session ever recorded). The partial index
// holds the running sessions only; a session's meter updates change neither column, so they stay HOT.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create index if not exists sessions_active_token on sessions (token_fk) where status = 'ACTIVE'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists sessions_active_token');
}
