// bench: unpinned (the work is in the PostgreSQL server process)
// Analytics latency over a year of data for 1,000 chargers (~1 M sessions, bench/analytics-data.ts) on the
// PostgreSQL server BENCH_DATABASE_URL (default postgres://root@127.0.0.1:5432/postgres), in a database of its
// own dropped at the end. Each report is timed through AnalyticsService (the SQL and the mapping; no HTTP) for
// a month (groupBy=day, ANALYTICS_MONTH_RUNS runs) and for the year (groupBy=month, ANALYTICS_YEAR_RUNS runs);
// utilization and availability per bucket (their default), and per EVSE (per=evse) for comparison, over instants
// and again over local dates (from=2025-06-01: each location's own calendar month).
// The analytics-rollup job runs first (its duration is printed), as it would have each day of the year.
// Targets (issue 9): p99 < 500 ms for a month, < 2 s for a year. Generating the data takes minutes:
// ANALYTICS_BENCH_DB=<name> keeps that database after the run (or reuses it when it exists already).
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { performance } from 'node:perf_hooks';
import { parseAnalyticsQuery } from '../src/analytics/analytics-query.ts';
import { AnalyticsService } from '../src/analytics/analytics.service.ts';
import { AnalyticsRollupService } from '../src/analytics/rollup.service.ts';
import { METRICS, type Metric } from '../src/analytics/analytics.types.ts';
import { createDb } from '../src/db/knex.ts';
import { migrateLatest } from '../src/db/migrate.ts';
import { upsertDefaultParty } from '../src/parties/party.repo.ts';
import { fixedClock } from '../src/shared/clock.ts';
import { generateYear } from './analytics-data.ts';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const MONTH_RUNS = Number(process.env.ANALYTICS_MONTH_RUNS ?? 20);
const YEAR_RUNS = Number(process.env.ANALYTICS_YEAR_RUNS ?? 5);
const log = (line: string) => process.stdout.write(`${line}\n`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(svc: AnalyticsService, metric: Metric, raw: Record<string, string>, runs: number): Promise<{ p50: number; p99: number; rows: number }> {
  const q = parseAnalyticsQuery(raw);
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    rows = (await svc.report(metric, q)).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), rows };
}

const kept = process.env.ANALYTICS_BENCH_DB;

async function openDatabase(admin: Knex): Promise<{ name: string; fresh: boolean }> {
  const name = kept ?? `bench_analytics_${randomBytes(4).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error('ANALYTICS_BENCH_DB: a lower-case database name');
  const { rows } = await admin.raw('select 1 from pg_database where datname = ?', [name]);
  if (rows.length > 0) return { name, fresh: false };
  await admin.raw(`create database ${name}`);
  return { name, fresh: true };
}

async function main(): Promise<void> {
  const admin = createDb({ databaseUrl: serverUrl, dataDir: 'memory://', poolMax: 1 });
  const { name, fresh } = await openDatabase(admin);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createDb({ databaseUrl: url.toString(), dataDir: 'memory://' });
  try {
    await migrateLatest(db);
    if (fresh) {
      const party = await upsertDefaultParty(db, { countryCode: 'NL', partyId: 'CPM', name: 'bench' });
      log('analytics: generating a year of data for 1,000 chargers');
      await generateYear(db, party.id, log);
    }
    const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
    // The analytics-rollup job as it would have run: every ended local day of the year stored (none left on reuse)
    const rollStarted = performance.now();
    const rolled = await new AnalyticsRollupService({ db, clock, lookbackDays: 400 }).run();
    log(`analytics: roll-up stored ${rolled.days} EVSE days, ${rolled.months} EVSE months and ${rolled.activityDays} zone days (sessions, peak power, revenue) in ${((performance.now() - rollStarted) / 1000).toFixed(1)} s`);
    const svc = new AnalyticsService({ db, clock });
    log('| report | period | rows | p50 | p99 |\n| --- | --- | ---: | ---: | ---: |');
    const reports: Array<[Metric, Record<string, string>]> = [...METRICS.map((m): [Metric, Record<string, string>] => [m, {}]), ['utilization', { per: 'evse' }], ['availability', { per: 'evse' }]];
    // utilization and availability also over local dates (each zone's own calendar month and year: no partial days)
    const dated: Array<[Metric, Record<string, string>]> = [['utilization', {}], ['availability', {}], ['utilization', { per: 'evse' }], ['availability', { per: 'evse' }]];
    const periods = [
      ...reports.map(([metric, extra]) => ({ metric, extra, dates: false })),
      ...dated.map(([metric, extra]) => ({ metric, extra, dates: true })),
    ];
    for (const { metric, extra, dates } of periods) {
      const name = `${extra.per ? `${metric} per=evse` : metric}${dates ? ' (local dates)' : ''}`;
      const [june, july, jan, nextJan] = dates
        ? ['2025-06-01', '2025-07-01', '2025-01-01', '2026-01-01']
        : ['2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z', '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'];
      const month = await measure(svc, metric, { from: june, to: july, groupBy: 'day', ...extra }, MONTH_RUNS);
      log(`| ${name} | month (day) | ${month.rows} | ${month.p50.toFixed(0)} ms | ${month.p99.toFixed(0)} ms |`);
      const year = await measure(svc, metric, { from: jan, to: nextJan, groupBy: 'month', ...extra }, YEAR_RUNS);
      log(`| ${name} | year (month) | ${year.rows} | ${year.p50.toFixed(0)} ms | ${year.p99.toFixed(0)} ms |`);
    }
  } finally {
    await db.destroy();
    if (!kept) await admin.raw(`drop database if exists ${name} with (force)`);
    await admin.destroy();
  }
}

await main();
