import type { Knex } from 'knex';

// Analytics (issue 9): daily roll-ups of the sessions, peak power and revenue reports, kept by the
// analytics-rollup job. The unit is a local day of one time zone (activity_day_units): the job sums every session
// (peak reading, CDR) of that zone's day at once, per location and charger (currency), and registers the day even
// when it holds nothing (sessions and readings also per location alone), so a report sums the stored days of each zone and computes only the rest live.
//
// Late data: a session inserted, changed or deleted, a power reading or a CDR written with a time before
// `rolled_until` records that time in analytics_activity_dirty (whatever the zone); the job deletes the days of
// every zone ending after it (the rows go with them) and stores them again. A location or party changing zone,
// or a charger changing location, makes every stored day stale (-infinity): rare, and the buckets move.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('activity_day_units', (t) => {
    t.string('time_zone', 64).notNullable();
    t.date('day').notNullable();
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    t.primary(['time_zone', 'day']);
    t.index(['starts_at']);
  });
  const unit = (t: Knex.CreateTableBuilder) => {
    t.string('time_zone', 64).notNullable();
    t.date('day').notNullable();
    t.foreign(['time_zone', 'day']).references(['time_zone', 'day']).inTable('activity_day_units').onDelete('CASCADE');
  };
  // two levels in one table: per location and charger, and per location (charge_point_id null: all its chargers),
  // which a report without a charger filter reads (a year of a 1,000-charger network: 18,000 rows, not 365,000)
  await knex.schema.createTable('session_day_rollups', (t) => {
    unit(t);
    t.string('location_id', 36);
    t.string('charge_point_id', 48);
    t.integer('sessions').notNullable();
    t.bigInteger('energy_wh').notNullable();
    // ended sessions: their count, seconds and Wh (the averages), and the starts that delivered energy
    t.integer('ended').notNullable();
    t.decimal('ended_sec', null).notNullable();
    t.bigInteger('ended_wh').notNullable();
    t.integer('delivered').notNullable();
    t.index(['time_zone', 'day']);
  });
  await knex.schema.createTable('power_day_rollups', (t) => {
    unit(t);
    t.string('charge_point_id', 48);
    t.string('location_id', 36);
    t.decimal('peak_w', null).notNullable();
    t.index(['time_zone', 'day']);
  });
  await knex.schema.createTable('revenue_day_rollups', (t) => {
    unit(t);
    t.string('location_id', 36);
    t.string('currency', 3).notNullable();
    t.integer('cdrs').notNullable();
    t.integer('credits').notNullable();
    t.decimal('kwh', null).notNullable();
    t.decimal('excl', null).notNullable();
    t.decimal('incl', null).notNullable();
    t.index(['time_zone', 'day']);
  });
  // the per-location rows of a unit, read from the index alone
  await knex.raw(`create index session_day_rollups_per_location on session_day_rollups (time_zone, day)
    include (location_id, sessions, energy_wh, ended, ended_sec, ended_wh, delivered) where charge_point_id is null`);
  await knex.raw('create index power_day_rollups_per_location on power_day_rollups (time_zone, day) include (location_id, peak_w) where charge_point_id is null');
  await knex.schema.createTable('analytics_activity_dirty', (t) => {
    t.bigIncrements('id');
    t.timestamp('since', { useTz: true }).notNullable();
  });

  // sessions: inserts and deletes per statement (a bulk insert pays once); updates per row, only when a reported
  // column changed, with the earliest start the old or new row has
  for (const [fn, rows] of [['analytics_dirty_sessions_new', 'new_rows'], ['analytics_dirty_sessions_old', 'old_rows']]) {
    await knex.raw(`create function ${fn}() returns trigger language plpgsql as $$
      begin
        insert into analytics_activity_dirty (since)
        select min(n.start_at) from ${rows} n, analytics_rollup_state s where s.id = 1 and n.start_at < s.rolled_until having count(*) > 0;
        return null;
      end $$`);
  }
  await knex.raw(`create trigger sessions_analytics_dirty_insert after insert on sessions
    referencing new table as new_rows for each statement execute function analytics_dirty_sessions_new()`);
  await knex.raw(`create trigger sessions_analytics_dirty_delete after delete on sessions
    referencing old table as old_rows for each statement execute function analytics_dirty_sessions_old()`);
  await knex.raw(`create function analytics_dirty_session() returns trigger language plpgsql as $$
    declare since timestamptz;
    begin
      since := least(old.start_at, new.start_at);
      insert into analytics_activity_dirty (since) select since from analytics_rollup_state s where s.id = 1 and since < s.rolled_until;
      return null;
    end $$`);
  await knex.raw(`create trigger sessions_analytics_dirty_update after update of start_at, stop_at, energy_wh, location_id, charge_point_id, party_fk on sessions
    for each row when (old.start_at is distinct from new.start_at or old.stop_at is distinct from new.stop_at or old.energy_wh is distinct from new.energy_wh
      or old.location_id is distinct from new.location_id or old.charge_point_id is distinct from new.charge_point_id or old.party_fk is distinct from new.party_fk)
    execute function analytics_dirty_session()`);
  // power readings (the ingest hot path: per statement) and CDRs (immutable: inserts only)
  await knex.raw(`create function analytics_dirty_readings() returns trigger language plpgsql as $$
    begin
      insert into analytics_activity_dirty (since)
      select min(n.timestamp) from new_rows n, analytics_rollup_state s
      where s.id = 1 and n.measurand = 'Power.Active.Import' and n.timestamp < s.rolled_until having count(*) > 0;
      return null;
    end $$`);
  await knex.raw(`create trigger meter_values_analytics_dirty after insert on meter_values
    referencing new table as new_rows for each statement execute function analytics_dirty_readings()`);
  await knex.raw(`create function analytics_dirty_cdrs() returns trigger language plpgsql as $$
    begin
      insert into analytics_activity_dirty (since)
      select min(n.created_at) from new_rows n, analytics_rollup_state s where s.id = 1 and n.created_at < s.rolled_until having count(*) > 0;
      return null;
    end $$`);
  await knex.raw(`create trigger cdrs_analytics_dirty after insert on cdrs
    referencing new table as new_rows for each statement execute function analytics_dirty_cdrs()`);
  // a zone or a charger's location changed: every stored day is stale
  await knex.raw(`create function analytics_dirty_all() returns trigger language plpgsql as $$
    begin
      insert into analytics_activity_dirty (since) values ('-infinity');
      return null;
    end $$`);
  await knex.raw(`create trigger locations_analytics_dirty after update of time_zone on locations
    for each row when (old.time_zone is distinct from new.time_zone) execute function analytics_dirty_all()`);
  await knex.raw(`create trigger parties_analytics_dirty after update of time_zone on parties
    for each row when (old.time_zone is distinct from new.time_zone) execute function analytics_dirty_all()`);
  await knex.raw(`create trigger charge_points_analytics_dirty after update of location_id on charge_points
    for each row when (old.location_id is distinct from new.location_id) execute function analytics_dirty_all()`);
}

export async function down(knex: Knex): Promise<void> {
  for (const [trigger, table] of [['sessions_analytics_dirty_insert', 'sessions'], ['sessions_analytics_dirty_delete', 'sessions'], ['sessions_analytics_dirty_update', 'sessions'], ['meter_values_analytics_dirty', 'meter_values'],
    ['cdrs_analytics_dirty', 'cdrs'], ['locations_analytics_dirty', 'locations'], ['parties_analytics_dirty', 'parties'], ['charge_points_analytics_dirty', 'charge_points']]) {
    await knex.raw(`drop trigger if exists ${trigger} on ${table}`);
  }
  for (const fn of ['analytics_dirty_sessions_new', 'analytics_dirty_sessions_old', 'analytics_dirty_session', 'analytics_dirty_readings', 'analytics_dirty_cdrs', 'analytics_dirty_all']) await knex.raw(`drop function if exists ${fn}()`);
  for (const table of ['analytics_activity_dirty', 'revenue_day_rollups', 'power_day_rollups', 'session_day_rollups', 'activity_day_units']) await knex.schema.dropTableIfExists(table);
}
