import type { Knex } from 'knex';

// Analytics (issue 9): a monthly level of the daily roll-up per EVSE (evse_day_rollups): the sum of the days of
// one local month, stored by the analytics-rollup job once every day of that month is stored in the same zone, so
// a year grouped by month reads 12 rows per EVSE instead of 365. Made stale like a day (analytics_dirty: a mark
// before the month's end deletes it with the days). The days are probed per EVSE by time for the parts of a
// period without a stored month: (charge_point_id, connector_number, starts_at), covering.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('evse_month_rollups', (t) => {
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.integer('connector_number').notNullable();
    // the local month's first day
    t.date('month').notNullable();
    t.string('time_zone', 64).notNullable();
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    t.decimal('charging_sec', null).notNullable();
    t.decimal('occupied_sec', null).notNullable();
    t.decimal('maintenance_sec', null).notNullable();
    t.decimal('down_sec', null).notNullable();
    t.primary(['charge_point_id', 'connector_number', 'month']);
  });
  // covering: the reports read a stored day from the index alone
  await knex.raw(`create index evse_day_rollups_evse_starts_at on evse_day_rollups (charge_point_id, connector_number, starts_at)
    include (ends_at, time_zone, day, charging_sec, occupied_sec, maintenance_sec, down_sec)`);
  // the months already complete in the stored days (the job stores later ones as it stores their days)
  await knex.raw(`insert into evse_month_rollups
    select r.charge_point_id, r.connector_number, date_trunc('month', r.day::timestamp)::date, r.time_zone, min(r.starts_at), max(r.ends_at),
      sum(r.charging_sec), sum(r.occupied_sec), sum(r.maintenance_sec), sum(r.down_sec)
    from evse_day_rollups r
    group by r.charge_point_id, r.connector_number, date_trunc('month', r.day::timestamp), r.time_zone
    having count(*) = extract(day from date_trunc('month', r.day::timestamp) + interval '1 month' - interval '1 day')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists evse_day_rollups_evse_starts_at');
  await knex.schema.dropTableIfExists('evse_month_rollups');
}
