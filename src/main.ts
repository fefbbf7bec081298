import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { createApp, type App } from './app.ts';
import type { Config } from './config/load.ts';
import { dbKind, openDb } from './db/knex.ts';
import { RUNNING_FROM } from './shared/package-files.ts';
import { migrateLatest } from './db/migrate.ts';
import { upsertDefaultParty } from './parties/party.repo.ts';
import { ensureInitialAdminKey } from './access/initial-key.ts';
import { systemClock } from './shared/clock.ts';
import type { Logger } from './shared/logger.ts';

/**
 * Opens the database, applies migrations and makes sure the operator's party exists. `owner` (e.g.
 * `cpms serve`) is what a second would-be owner of an embedded database is told holds it.
 */
export async function openDatabase(config: Config, logger: Logger, owner: string, o: { onEngineFailure?: (err: Error) => void } = {}): Promise<Knex> {
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, owner, onEngineFailure: o.onEngineFailure });
  try {
    const applied = await migrateLatest(db);
    await upsertDefaultParty(db, config.operator);
    logger.info('database ready', { kind: dbKind(db), location: config.databaseUrl ? redact(config.databaseUrl) : config.dataDir, migrationsApplied: applied.length, runningFrom: RUNNING_FROM });
    return db;
  } catch (err) {
    await db.destroy(); // releases the embedded database for the next owner
    throw err;
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

export interface Serving {
  app: App;
  db: Knex;
  /** Where partners and the operator reach this node (publicUrl, or the bound address). */
  baseUrl: string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Writes to the operator's terminal (the first admin key), bypassing the log stream; none by default. */
  terminal?: (text: string) => void;
  /** What a server whose embedded engine died does after logging it; default: exit with code 1. */
  exit?: (code: number) => void;
}

/**
 * The embedded engine's thread died: no statement can run any more, and every answered message is already
 * stored. The server says so and exits with an error, for its supervisor (systemd, a container runtime) to
 * start it again on the same data, rather than stay up answering every charger with an error.
 */
function onEngineFailure(err: Error, logger: Logger, o: ServeOptions): void {
  logger.error('the embedded database stopped working; cpms exits so that its supervisor starts it again', { err: err.message });
  (o.exit ?? ((code: number) => process.exit(code)))(1);
}

/** Logs where each interface listens; returns the base URL partners and the operator use. */
function logInterfaces(config: Config, logger: Logger, addr: AddressInfo): string {
  const scheme = config.tls.certFile ? 'https' : 'http';
  const wsScheme = config.tls.certFile ? 'wss' : 'ws';
  const host = addr.address === '0.0.0.0' || addr.address === '::' ? 'localhost' : addr.address;
  const base = config.publicUrl || `${scheme}://${host}:${addr.port}`;
  const wsBase = config.publicUrl ? config.publicUrl.replace(/^http/, 'ws') : `${wsScheme}://${host}:${addr.port}`;
  logger.info(`OCPP WebSocket endpoint (1.6-J and 2.0.1) listening on ${wsBase}${config.ocpp.path}/{chargePointId}`, { interface: 'ocpp', url: `${wsBase}${config.ocpp.path}/{chargePointId}` });
  logger.info(`Admin REST API listening on ${base}/api/v1 (docs: ${base}/api/v1/docs, OpenAPI: ${base}/api/v1/openapi.yaml)`, { interface: 'admin', url: `${base}/api/v1` });
  logger.info(`Health probes on ${base}/healthz and ${base}/readyz`, { interface: 'health', url: `${base}/healthz` });
  const m = config.metrics;
  if (m.enabled) {
    const metricsUrl = m.port > 0 ? `${scheme}://${host}:${m.port}/metrics` : `${base}/metrics`;
    logger.info(`Prometheus metrics on ${metricsUrl}${m.token ? ' (bearer token required)' : m.port > 0 ? '' : ' (from this machine only until METRICS_TOKEN is set)'}`, { interface: 'metrics', url: metricsUrl });
  }
  logger.info(`OCPI 2.2.1 versions endpoint on ${base}/ocpi/versions`, { interface: 'ocpi', url: `${base}/ocpi/versions` });
  logger.info(`Web apps: operator dashboard on ${base}/dashboard, driver app on ${base}/app`, { interface: 'web', url: `${base}/dashboard` });
  return base;
}

/** Composition root for `cpms serve`: database → app → listen → jobs. Returns a stop function. */
export async function serve(config: Config, logger: Logger, o: ServeOptions = {}): Promise<Serving> {
  const db = await openDatabase(config, logger, 'cpms serve', { onEngineFailure: (err) => onEngineFailure(err, logger, o) });
  const app = createApp({ config, db, logger, clock: systemClock });
  const stop = async (): Promise<void> => {
    await app.close();
    await db.destroy(); // last: releases the embedded database's owner lock
  };
  try {
    const baseUrl = logInterfaces(config, logger, await app.listen(config.port, config.host));
    // First start: without a key nobody could use the admin API. Shown once, never through the logger.
    await ensureInitialAdminKey({ apiKeys: app.services.apiKeys, dataDir: config.dataDir, logger, terminal: o.terminal });
    if (config.ocpi.push.enabled) app.pushWorker.start();
    if (config.jobs.enabled) {
      app.scheduler.start();
      app.webhookWorker.start(); // a queued webhook delivery is sent at once, not at the next job tick
      logger.info(`Scheduled jobs started: ${app.scheduler.names().join(', ')}`, { interface: 'jobs' });
    }
    return { app, db, baseUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
