// The whole app (createApp, as `cpms serve` builds it minus the jobs) in the benchmark's process on port 0,
// on a fresh embedded database or a fresh database of the PostgreSQL server `serverUrl` (dropped at close),
// for benchmarks that time one request path end to end over real HTTP or WebSocket connections.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config/load.ts';
import { createDb } from '../src/db/knex.ts';
import { migrateLatest } from '../src/db/migrate.ts';
import { upsertDefaultParty, type Party } from '../src/parties/party.repo.ts';
import { systemClock } from '../src/shared/clock.ts';
import { createLogger } from '../src/shared/logger.ts';

export interface InProcessApp {
  app: App;
  db: Knex;
  /** The operator's own party (NL/CPM). */
  party: Party;
  httpUrl: string;
  ocppUrl: string;
  close(): Promise<void>;
}

async function openDatabase(serverUrl: string): Promise<{ db: Knex; databaseUrl: string; drop(): Promise<void> }> {
  if (!serverUrl) return { db: createDb({ databaseUrl: '', dataDir: 'memory://' }), databaseUrl: '', drop: async () => undefined };
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = createDb({ databaseUrl: serverUrl, dataDir: '', poolMax: 1 });
  await admin.raw(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createDb({ databaseUrl: url.toString(), dataDir: '' });
  const drop = async () => {
    await admin.raw(`drop database if exists ${name} with (force)`);
    await admin.destroy();
  };
  return { db, databaseUrl: url.toString(), drop };
}

/** Starts the app; `overrides` are config keys as paths (e.g. `{ 'ocpi.authorizationCacheTtlSec': 300 }`). */
export async function startInProcessApp(serverUrl: string, overrides: Record<string, unknown> = {}): Promise<InProcessApp> {
  const { db, databaseUrl, drop } = await openDatabase(serverUrl);
  await migrateLatest(db);
  const party = await upsertDefaultParty(db, { countryCode: 'NL', partyId: 'CPM', name: 'bench' });
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', databaseUrl, dataDir: 'memory://', logLevel: 'error', nodeId: 'bench', 'jobs.enabled': false, ...overrides });
  const logger = createLogger('error');
  const app = createApp({ config, db, logger, clock: systemClock });
  const { port } = (await app.listen(0, '127.0.0.1')) as AddressInfo;
  return {
    app,
    db,
    party,
    httpUrl: `http://127.0.0.1:${port}`,
    ocppUrl: `ws://127.0.0.1:${port}${config.ocpp.path}`,
    async close() {
      await app.close();
      await db.destroy();
      await drop();
    },
  };
}

export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** p50 and p99 of `ms` (sorted in place), formatted. */
export function p50p99(ms: number[]): string {
  ms.sort((a, b) => a - b);
  return `p50 ${percentile(ms, 50).toFixed(2)} ms  p99 ${percentile(ms, 99).toFixed(2)} ms`;
}

/**
 * Runs `work` and returns the CPU time this process spent (user + system, ms): the app, the client and, on
 * the embedded database, the database. Less sensitive than latency to other processes competing for cores.
 */
export async function cpuMsOf(work: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** The benchmark's targets: BENCH_TARGETS (comma-separated among `embedded`, `postgres`). */
export function databaseTargets(): Array<{ name: string; serverUrl: string }> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
  const all = [{ name: 'embedded', serverUrl: '' }, { name: 'postgres', serverUrl }];
  const wanted = (process.env.BENCH_TARGETS ?? 'embedded,postgres').split(',');
  return all.filter((t) => wanted.includes(t.name));
}
