import type { Knex } from 'knex';

// OCPP 1.6 §4.8 StartTransaction, replayed by a charger that reconnects: one session per start key
// (charger, connector, idTag, meterStart, timestamp), backed by a unique index so that concurrent replays
// cannot both insert (issue 7), and the answer given at the first start kept on the session so that a
// replay gets it again without a new authorization.
//
// Sessions the missing constraint already duplicated are merged first. Per start key the kept session is
// the one billed (has a CDR), else a stopped one, else the first; the others give it their meter values,
// remote start and charging profile links and are deleted. A duplicate that has a CDR of its own cannot
// be deleted (CDRs are immutable and may be settled): it stays, marked `duplicate_of` the kept session,
// outside the unique index, for the operator to credit.
const KEY = 'charge_point_id, connector_number, id_tag, meter_start_wh, start_at';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.jsonb('start_id_tag_info'); // OCPP 1.6 IdTagInfo answered to the StartTransaction
    t.integer('duplicate_of').references('sessions.id');
  });
  await knex.raw(`create temporary table session_duplicates as
    select id, first_value(id) over w as keeper_id, exists (select 1 from cdrs c where c.session_fk = s.id and not c.credit) as is_billed
      from sessions s
    window w as (partition by ${KEY}
                 order by exists (select 1 from cdrs c where c.session_fk = s.id and not c.credit) desc, (stop_at is not null) desc, id)`);
  await knex.raw('delete from session_duplicates where id = keeper_id');
  await knex.raw(`update meter_values m set session_fk = d.keeper_id from session_duplicates d where m.session_fk = d.id and not d.is_billed`);
  await knex.raw(`update ocpi_remote_starts r set session_fk = d.keeper_id from session_duplicates d where r.session_fk = d.id and not d.is_billed`);
  // One charging profile per session: the kept session takes the first of its duplicates' unless it has one.
  await knex.raw(`update ocpi_charging_profiles p set session_fk = d.keeper_id from session_duplicates d
    where p.session_fk = d.id and not d.is_billed and not exists (select 1 from ocpi_charging_profiles k where k.session_fk = d.keeper_id)
      and p.id = (select min(p2.id) from ocpi_charging_profiles p2 join session_duplicates d2 on d2.id = p2.session_fk where d2.keeper_id = d.keeper_id and not d2.is_billed)`);
  await knex.raw(`insert into ocpi_charging_profile_senders (session_fk, partner_fk, created_at)
    select d.keeper_id, s.partner_fk, s.created_at from ocpi_charging_profile_senders s join session_duplicates d on d.id = s.session_fk
     where not d.is_billed on conflict do nothing`);
  await knex.raw('update sessions s set duplicate_of = d.keeper_id from session_duplicates d where s.id = d.id and d.is_billed');
  await knex.raw('delete from sessions s using session_duplicates d where s.id = d.id and not d.is_billed');
  await knex.raw('drop table session_duplicates');
  await knex.raw(`create unique index sessions_start_key on sessions (${KEY}) where duplicate_of is null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists sessions_start_key');
  await knex.schema.alterTable('sessions', (t) => {
    t.dropColumn('duplicate_of');
    t.dropColumn('start_id_tag_info');
  });
}
