import type { Knex } from 'knex';
import { createApp, type App } from './app.ts';
import type { Config } from './config/load.ts';
import { createDb, dbKind } from './db/knex.ts';
import { migrateLatest } from './db/migrate.ts';
import { upsertDefaultParty } from './parties/party.repo.ts';
import { systemClock } from './shared/clock.ts';
import type { Logger } from './shared/logger.ts';

/** Opens the database, applies migrations and makes sure the operator's party exists. */
export async function openDatabase(config: Config, logger: Logger): Promise<Knex> {
  const db = createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrateLatest(db);
  await upsertDefaultParty(db, config.operator);
  logger.info('database ready', { kind: dbKind(db), location: config.databaseUrl ? redact(config.databaseUrl) : config.dataDir, migrationsApplied: applied.length });
  return db;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

/** Composition root for `cpms serve`: database → app → listen → jobs. Returns a stop function. */
export async function serve(config: Config, logger: Logger): Promise<{ app: App; stop(): Promise<void> }> {
  const db = await openDatabase(config, logger);
  const app = createApp({ config, db, logger, clock: systemClock });
  const addr = await app.listen(config.port, config.host);
  const scheme = config.tls.certFile ? 'https' : 'http';
  const wsScheme = config.tls.certFile ? 'wss' : 'ws';
  const host = addr.address === '0.0.0.0' || addr.address === '::' ? 'localhost' : addr.address;
  const base = config.publicUrl || `${scheme}://${host}:${addr.port}`;
  const wsBase = config.publicUrl ? config.publicUrl.replace(/^http/, 'ws') : `${wsScheme}://${host}:${addr.port}`;
  logger.info(`OCPP 1.6-J WebSocket endpoint listening on ${wsBase}${config.ocpp.path}/{chargePointId}`, { interface: 'ocpp', url: `${wsBase}${config.ocpp.path}/{chargePointId}` });
  logger.info(`Admin REST API listening on ${base}/api/v1 (OpenAPI: ${base}/api/v1/openapi.yaml)`, { interface: 'admin', url: `${base}/api/v1` });
  logger.info(`Health probes on ${base}/healthz and ${base}/readyz`, { interface: 'health', url: `${base}/healthz` });
  logger.info(`OCPI 2.2.1 versions endpoint on ${base}/ocpi/versions`, { interface: 'ocpi', url: `${base}/ocpi/versions` });
  if ((await app.services.apiKeys.list()).length === 0) {
    // First start: without a key nobody could use the admin API, and the CLI cannot open an embedded
    // database that the running server holds. Print one admin key, once.
    const { key } = await app.services.apiKeys.create('bootstrap', 'admin');
    logger.warn(`No API key existed: created admin key (shown once, store it now): ${key}`, { interface: 'admin' });
  }
  if (config.ocpi.push.enabled) app.pushWorker.start();
  if (config.jobs.enabled) {
    app.scheduler.start();
    logger.info(`Scheduled jobs started: ${app.scheduler.names().join(', ')}`, { interface: 'jobs' });
  }
  return {
    app,
    async stop() {
      await app.close();
      await db.destroy();
    },
  };
}
