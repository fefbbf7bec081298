// Prometheus metrics wired into the running parts (issue 14): what each part reports, what the gauges read at a
// scrape, and where /metrics is served (the main port behind a token, or a port of its own).
import express, { type NextFunction, type Request, type Response } from 'express';
import { createServer, type Server } from 'node:http';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { Metrics } from '../metrics/metrics.ts';
import { observeQueries, poolUse } from '../db/query-metrics.ts';
import { outboxStats } from '../partners/outbox.service.ts';
import type { ConnectionRegistry } from '../ocpp/connections.ts';
import type { Config } from '../config/load.ts';
import type { Clock } from '../shared/clock.ts';
import type { Services } from './services.ts';

export function createMetrics(nodeId: string, ocppActions: Iterable<string>): Metrics {
  return new Metrics({ nodeId, ocppActions });
}

/** Connects the gauges to their sources and the parts that report to their counters. */
export function wireMetrics(metrics: Metrics, o: { db: Knex; clock: Clock; services: Services; connections: ConnectionRegistry }): void {
  metrics.useSources({
    connectedChargers: () => o.connections.countByProtocol(),
    outbox: () => outboxStats(o.db),
    pool: () => poolUse(o.db),
    now: () => o.clock.now().getTime(),
  });
  observeQueries(o.db, (seconds, ok) => metrics.query(seconds, ok));
  o.services.scheduler.observe((job, result, seconds) => metrics.jobRun(job, result, seconds));
  o.services.authorize.observeRealtime((source, outcome, seconds) => metrics.realtimeAuthorization(source, outcome, seconds));
}

/** Counts each OCPI request once answered: module (the path segment after the version), method, status, latency. */
export function ocpiRequestMetrics(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    // Read now: the routers below rewrite req.url while they route.
    const [first, second] = req.path.split('/').filter(Boolean);
    const module = first === 'versions' || !second ? 'versions' : second;
    res.on('finish', () => {
      metrics.ocpiRequest(module, req.method, res.statusCode, (performance.now() - started) / 1000);
    });
    next();
  };
}

const digest = (text: string) => createHash('sha256').update(text).digest();
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * GET /metrics. With a token: only `Authorization: Bearer <token>`. Without one on the main port: only a scrape
 * from this machine that came through no proxy (a proxy on the same machine adds X-Forwarded-For); on a port of
 * its own, anyone who reaches that port.
 */
export function metricsHandler(metrics: Metrics, config: Config['metrics'], o: { ownPort: boolean }) {
  return async (req: Request, res: Response): Promise<void> => {
    const { token } = config;
    if (token) {
      const sent = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
      if (!timingSafeEqual(digest(sent), digest(token))) {
        res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain').send('metrics: a valid bearer token (metrics.token) is required\n');
        return;
      }
    } else if (!o.ownPort && (!LOOPBACK.has(req.socket.remoteAddress ?? '') || req.get('x-forwarded-for') !== undefined)) {
      res.status(403).type('text/plain').send('metrics: set metrics.token (METRICS_TOKEN) or metrics.port (METRICS_PORT) to scrape from another machine\n');
      return;
    }
    res.type(metrics.contentType).send(await metrics.scrape());
  };
}

/** /metrics on a port of its own (config metrics.port > 0); resolves once listening. */
export async function listenMetrics(metrics: Metrics, config: Config['metrics'], host: string): Promise<Server> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(metrics, config, { ownPort: true }));
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, host, () => resolve());
  });
  return server;
}
