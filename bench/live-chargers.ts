// Live view latency (issue 9): seeds 50,000 chargers (500 locations, 2 connectors each, every fifth charging
// with a tariff and 10 power samples), then times the first page of GET /api/v1/live/chargers as the service
// answers it (one SQL statement) and prints p50/p99, for: no filter, a location, status=Charging.
// Run: DATABASE_URL=postgres://root@127.0.0.1:5432/postgres npm run bench:live   (PGlite without it)
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { createDb } from '../src/db/knex.ts';
import { migrateLatest } from '../src/db/migrate.ts';
import { upsertDefaultParty } from '../src/parties/party.repo.ts';
import { systemClock } from '../src/shared/clock.ts';
import { LiveViewService } from '../src/events/live-view.service.ts';
import { DEFAULT_LIVE_LIMIT, type LiveQuery } from '../src/events/live-query.ts';

const CHARGERS = 50_000;
const RUNS = 200;
const TARIFF = { country_code: 'NL', party_id: 'CPM', id: 'BENCH', currency: 'EUR', last_updated: '2024-01-01T00:00:00Z', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 21, step_size: 1 }] }] };

async function openDatabase(): Promise<{ db: Knex; drop(): Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    // The embedded engine's thread and knex's pool keep the process alive until destroyed.
    const db = createDb({ databaseUrl: '', dataDir: 'memory://' });
    return { db, drop: () => db.destroy() };
  }
  const name = `cpms_bench_live_${randomBytes(4).toString('hex')}`;
  const admin = createDb({ databaseUrl: server, dataDir: '' });
  await admin.raw(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = createDb({ databaseUrl: url.toString(), dataDir: '' });
  return {
    db,
    drop: async () => {
      await db.destroy();
      await admin.raw(`drop database ${name} with (force)`);
      await admin.destroy();
    },
  };
}

async function seed(db: Knex): Promise<void> {
  const party = await upsertDefaultParty(db, { countryCode: 'NL', partyId: 'CPM', name: 'bench' });
  await db.raw(`insert into locations (id, party_fk, address, city, country, latitude, longitude, time_zone)
    select 'LOC' || lpad(i::text, 4, '0'), ?, 'Street 1', 'Utrecht', 'NLD', '52.0', '5.1', 'Europe/Amsterdam' from generate_series(0, ? - 1) i`, [party.id, CHARGERS / 100]);
  await db.raw(`insert into charge_points (id, location_id, is_connected, is_online, connected_at)
    select 'CP' || lpad(i::text, 6, '0'), 'LOC' || lpad((i / 100)::text, 4, '0'), i % 10 <> 0, i % 10 <> 0, now() from generate_series(0, ? - 1) i`, [CHARGERS]);
  await db.raw(`insert into connectors (charge_point_id, connector_number, ocpi_id, ocpp_status)
    select 'CP' || lpad(i::text, 6, '0'), n, n::text, case when n = 1 and i % 5 = 0 then 'Charging' when i % 97 = 0 then 'Faulted' else 'Available' end
      from generate_series(0, ? - 1) i, generate_series(1, 2) n`, [CHARGERS]);
  await db.raw(`insert into sessions (uid, party_fk, charge_point_id, connector_number, location_id, id_tag, meter_start_wh, energy_wh, start_at, status, currency, tariff_snapshot)
    select 'S' || i, ?, 'CP' || lpad(i::text, 6, '0'), 1, 'LOC' || lpad((i / 100)::text, 4, '0'), 'TAG', 0, 1000 + i % 30000, now() - interval '40 minutes', 'ACTIVE', 'EUR', ?::jsonb
      from generate_series(0, ? - 1, 5) i`, [party.id, JSON.stringify(TARIFF), CHARGERS]);
  await db.raw(`insert into meter_values (charge_point_id, connector_number, session_fk, timestamp, measurand, unit, value, numeric_value, received_at)
    select s.charge_point_id, 1, s.id, s.start_at + k * interval '2 minutes', 'Power.Active.Import', 'W', (7000 + k)::text, 7000 + k, now()
      from sessions s, generate_series(1, 10) k`);
  await db.raw('analyze');
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function time(label: string, live: LiveViewService, q: LiveQuery): Promise<void> {
  for (let i = 0; i < 10; i++) await live.chargers(q); // warm-up
  const ms: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    rows = (await live.chargers(q)).data.length;
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(34)} ${rows} chargers/page  p50 ${percentile(ms, 50).toFixed(2)} ms  p99 ${percentile(ms, 99).toFixed(2)} ms`);
}

const { db, drop } = await openDatabase();
try {
  await migrateLatest(db);
  const t0 = performance.now();
  await seed(db);
  console.log(`seeded ${CHARGERS} chargers on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'} in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${RUNS} runs each, first page (limit ${DEFAULT_LIVE_LIMIT})`);
  const live = new LiveViewService({ db, clock: systemClock });
  await time('all chargers', live, { limit: DEFAULT_LIVE_LIMIT });
  await time('one location (100 chargers)', live, { limit: DEFAULT_LIVE_LIMIT, locationId: 'LOC0250' });
  await time('status=Charging', live, { limit: DEFAULT_LIVE_LIMIT, status: 'Charging' });
  await time('status=Faulted', live, { limit: DEFAULT_LIVE_LIMIT, status: 'Faulted' });
  await time('all chargers, page after CP025000', live, { limit: DEFAULT_LIVE_LIMIT, afterId: 'CP025000' });
} finally {
  await drop();
}
