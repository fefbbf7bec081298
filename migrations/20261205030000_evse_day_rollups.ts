import type { Knex } from 'knex';

// Analytics (issue 9): a daily roll-up per EVSE (= connector) and local day of the time-based reports, kept by
// the analytics-rollup job; the reports sum stored days and compute the rest live. A day is stored with the time
// zone it was cut in: a location that changes zone is not summed from rows of the old zone.
//
// Late data: a change to the status history, faults or maintenance windows dated before `rolled_until` (the end
// of the latest day rolled) records the charger and the time from which its days are stale in
// analytics_dirty; the job deletes those days and rolls them again. Status history is the ingest hot path:
// its trigger is per statement (one insert per batch at most, none for current data).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('evse_day_rollups', (t) => {
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.integer('connector_number').notNullable();
    t.date('day').notNullable();
    t.string('time_zone', 64).notNullable();
    // the day's bounds in that zone (23 or 25 hours on a DST change): the reports need no zone arithmetic per row
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    // seconds, exact (numeric): the reports add them to live seconds and must equal the live computation
    t.decimal('charging_sec', null).notNullable();
    t.decimal('occupied_sec', null).notNullable();
    t.decimal('maintenance_sec', null).notNullable();
    t.decimal('down_sec', null).notNullable();
    t.primary(['charge_point_id', 'connector_number', 'day']);
    t.index(['starts_at']);
  });
  await knex.schema.createTable('analytics_dirty', (t) => {
    t.bigIncrements('id');
    t.string('charge_point_id', 48).notNullable();
    t.timestamp('since', { useTz: true }).notNullable();
    t.index(['charge_point_id']);
  });
  await knex.schema.createTable('analytics_rollup_state', (t) => {
    t.integer('id').primary();
    t.timestamp('rolled_until', { useTz: true }).notNullable();
  });
  await knex.raw("insert into analytics_rollup_state (id, rolled_until) values (1, '-infinity')");

  await knex.raw(`create function analytics_dirty_status() returns trigger language plpgsql as $$
    begin
      insert into analytics_dirty (charge_point_id, since)
      select n.charge_point_id, min(n.timestamp) from new_rows n, analytics_rollup_state s
      where s.id = 1 and n.timestamp < s.rolled_until group by n.charge_point_id;
      return null;
    end $$`);
  await knex.raw(`create trigger status_history_analytics_dirty after insert on status_history
    referencing new table as new_rows for each statement execute function analytics_dirty_status()`);

  // faults and maintenance windows: few rows, per row; the earliest time the old or new row touches
  await knex.raw(`create function analytics_dirty_row() returns trigger language plpgsql as $$
    declare since timestamptz; cp text;
    begin
      if tg_table_name = 'faults' then
        since := least(case when tg_op <> 'INSERT' then least(old.opened_at, old.cleared_at) end,
                       case when tg_op <> 'DELETE' then least(new.opened_at, new.cleared_at) end);
      else
        since := least(case when tg_op <> 'INSERT' then least(old.starts_at, old.ends_at, old.ended_at) end,
                       case when tg_op <> 'DELETE' then least(new.starts_at, new.ends_at, new.ended_at) end);
      end if;
      cp := case when tg_op = 'DELETE' then old.charge_point_id else new.charge_point_id end;
      insert into analytics_dirty (charge_point_id, since)
      select cp, since from analytics_rollup_state s where s.id = 1 and since < s.rolled_until;
      return null;
    end $$`);
  for (const table of ['faults', 'maintenance_windows']) {
    await knex.raw(`create trigger ${table}_analytics_dirty after insert or update or delete on ${table}
      for each row execute function analytics_dirty_row()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['faults', 'maintenance_windows']) await knex.raw(`drop trigger if exists ${table}_analytics_dirty on ${table}`);
  await knex.raw('drop trigger if exists status_history_analytics_dirty on status_history');
  await knex.raw('drop function if exists analytics_dirty_row()');
  await knex.raw('drop function if exists analytics_dirty_status()');
  for (const table of ['analytics_rollup_state', 'analytics_dirty', 'evse_day_rollups']) await knex.schema.dropTableIfExists(table);
}
