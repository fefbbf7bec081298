import type { Knex } from 'knex';

// Issue 8: a change stamp per scope, bumped by every committed transaction that changes what the scope's readers
// show, so that a node may keep a rendered answer while the stamp it was built under is still the stamp in the
// database (correct across nodes and for the CLI's writes). Scope 'ocpi_locations': the OCPI locations list, which
// shows locations, EVSEs, connectors, the own party's codes, the requesting party's tariff rules, and unpublished
// locations to the parties whose tokens are allowed there or charged there (id_tokens, sessions).
//
// The bump is a deferred row-level constraint trigger, once per transaction (a transaction-local setting marks it
// done): it runs at COMMIT, so the stamp row is locked only from then to the end of the commit. A statement-level
// bump would hold that lock from the first write to the commit, serializing every writer of these tables and
// deadlocking two transactions that each hold a row the other wants next.
const SCOPE = 'ocpi_locations';

const WATCHED: Array<{ table: string; update: string }> = [
  { table: 'locations', update: 'update' },
  { table: 'evses', update: 'update' },
  { table: 'connectors', update: 'update' },
  { table: 'parties', update: 'update of country_code, party_id' },
  { table: 'tariffs', update: 'update' },
  { table: 'tariff_assignments', update: 'update' },
  { table: 'id_tokens', update: 'update of partner_fk, country_code, party_id, uid, type, visual_number, issuer, group_id' },
  { table: 'sessions', update: 'update of location_id, token_fk' },
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw('create table change_stamps (scope text primary key, stamp bigint not null default 0)');
  await knex.raw('insert into change_stamps (scope) values (?)', [SCOPE]);
  await knex.raw(`create function bump_ocpi_locations_stamp() returns trigger language plpgsql as $$
    begin
      if current_setting('cpms.ocpi_locations_bumped', true) = 'on' then return null; end if;
      perform set_config('cpms.ocpi_locations_bumped', 'on', true);
      update change_stamps set stamp = stamp + 1 where scope = '${SCOPE}';
      return null;
    end $$`);
  for (const { table, update } of WATCHED) {
    // Updates that change nothing (same values written again) leave the stamp alone.
    const when = update === 'update' ? 'when (old.* is distinct from new.*)' : '';
    await knex.raw(`create constraint trigger ${table}_ocpi_locations_stamp_write after insert or delete on ${table}
      deferrable initially deferred for each row execute function bump_ocpi_locations_stamp()`);
    await knex.raw(`create constraint trigger ${table}_ocpi_locations_stamp_update after ${update} on ${table}
      deferrable initially deferred for each row ${when} execute function bump_ocpi_locations_stamp()`);
    await knex.raw(`create trigger ${table}_ocpi_locations_stamp_truncate after truncate on ${table}
      for each statement execute function bump_ocpi_locations_stamp()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const { table } of WATCHED) {
    for (const suffix of ['write', 'update', 'truncate']) await knex.raw(`drop trigger if exists ${table}_ocpi_locations_stamp_${suffix} on ${table}`);
  }
  await knex.raw('drop function if exists bump_ocpi_locations_stamp()');
  await knex.raw('drop table if exists change_stamps');
}
