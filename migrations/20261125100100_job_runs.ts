import type { Knex } from 'knex';

// Scheduled job runs: one row per run (start, end, result, counts), visible through the admin API.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('job_runs', (t) => {
    t.bigIncrements('id');
    t.string('job', 60).notNullable();
    t.string('node', 100).notNullable();
    t.string('trigger', 10).notNullable(); // cron | manual
    t.string('status', 10).notNullable(); // running | succeeded | failed
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true });
    t.jsonb('counts');
    t.text('error');
    t.index(['job', 'started_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('job_runs');
}
