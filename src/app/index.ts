import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { DomainEvents } from '../shared/events.ts';
import { runDetached } from '../shared/background.ts';
import { useClock } from '../db/clock.ts';
import { ConnectionRegistry } from '../ocpp/connections.ts';
import type { AppDeps } from './app.types.ts';
import { buildServices, type Services } from './services.ts';
import { buildHttpApp, createServer } from './http.ts';
import { gateNewConnections } from './read-gate.ts';
import { attachOcppEndpoint, createCommandSender } from './ocpp.ts';
import { createMetrics, listenMetrics, wireMetrics } from './metrics.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { ocppActionNames } from '../ocpp/validate.ts';
import { ChargerConfigurationService, recordingConfiguration } from '../chargers/configuration.service.ts';

export type { AppDeps } from './app.types.ts';

export type App = ReturnType<typeof createApp>;

export interface ListenOptions {
  releaseStaleConnections?: boolean;
}

/** What `listen` and `close` act on, once everything is built. */
interface Runtime {
  deps: AppDeps;
  nodeId: string;
  server: Server;
  services: Services;
  connections: ConnectionRegistry;
  bus: ReturnType<typeof createCommandSender>['bus'];
  ocpp: ReturnType<typeof attachOcppEndpoint>;
  metrics: Metrics;
  /** /metrics on a port of its own, while serving (config metrics.port > 0). */
  metricsServer?: Server;
}

// The longest event-loop stalls while serving (issue 8: a reconnect storm must not stall the loop > 100 ms),
// logged as 'event loop delay' at the graceful stop, and on demand (SIGUSR2 to `cpms serve`) since the
// previous report: the reconnect-storm benchmark reads registration and storm apart that way.
const loopDelays = new WeakMap<Runtime, IntervalHistogram>();

// A new connection whose first request has not come within this stops holding a place of the read gate
// (read-gate.ts): a slow client then delays the others by this much at most.
const NEW_CONNECTION_ARMED_MS = 100;

function logLoopDelay(rt: Runtime, o: { isFinal: boolean }): void {
  const h = loopDelays.get(rt);
  if (!h) return;
  if (o.isFinal) h.disable();
  rt.deps.logger.info('event loop delay', { module: 'app', maxMs: Math.round(h.max / 1e4) / 100, p99Ms: Math.round(h.percentile(99) / 1e4) / 100, meanMs: Math.round(h.mean / 1e4) / 100, isFinal: o.isFinal });
  if (!o.isFinal) h.reset();
}

async function startServing(rt: Runtime, port: number, host: string, opts: ListenOptions): Promise<AddressInfo> {
  const { deps: { config, logger }, server, bus, nodeId } = rt;
  await bus?.start();
  // Before any socket opens: connections a crashed process left recorded (alone: every node's).
  const released = opts.releaseStaleConnections === false ? [] : await rt.services.chargerConnections.releaseStaleConnections({ allNodes: !config.redisUrl });
  if (released.length) logger.warn(`marked ${released.length} charger(s) disconnected that were recorded as connected before start-up`, { module: 'chargers', node: nodeId });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const m = config.metrics;
  if (m.enabled && m.port > 0) rt.metricsServer = await listenMetrics(rt.metrics, m, host);
  rt.services.lastSeen.start();
  // Load management runs on serving nodes only (a tool listening briefly beside a server must not send limits).
  if (opts.releaseStaleConnections !== false) rt.services.loadManager.start();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  loopDelays.set(rt, delay);
  return server.address() as AddressInfo;
}

/**
 * Graceful stop (SIGTERM): no new connections or handshakes, jobs and pushes stopped, charger sockets
 * drained and closed with their disconnections recorded, then the rest. The caller destroys the database
 * only after this resolves, so nothing is left recorded as connected and no write is aborted.
 */
async function stopServing(rt: Runtime): Promise<void> {
  const { services, bus, server } = rt;
  logLoopDelay(rt, { isFinal: true });
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  try {
    await services.scheduler.stop();
    await services.loadManager.stop();
    await services.pushWorker.stop();
    await services.webhookWorker.stop();
    await rt.ocpp.stop();
    // After the last charger message: what is kept in memory is written before the database closes.
    await services.sessions.meterWriter.drain();
    await services.chargers.statusWriter.drain();
    await services.chargers.bootWriter.drain();
    rt.deps.logger.info('ingest group commit', { module: 'ingest', meterValues: services.sessions.meterWriter.stats, statusNotifications: services.chargers.statusWriter.stats, bootNotifications: services.chargers.bootWriter.stats, connections: services.chargerConnections.connectWriter.stats });
    await services.lastSeen.stop();
    // The disconnections just recorded are events too: stored before the database goes.
    services.eventRecorder.stop();
    await services.eventRecorder.settled();
    await services.eventHub.stop();
  } finally {
    // Even when recording the disconnections failed (the caller hears of it): release the rest.
    await bus?.stop();
    await services.asyncResults.drain(); // closed sockets fail pending charger calls: results get queued, not lost
    server.closeAllConnections();
    await closed;
    const metricsServer = rt.metricsServer;
    if (metricsServer) await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
  }
}

/**
 * Builds the whole system from injected dependencies: services, the OCPP WebSocket endpoint, the admin
 * API and the job scheduler. Never listens by itself (tests call `listen(0)`).
 */
export function createApp(deps: AppDeps) {
  const { config } = deps;
  const nodeId = config.nodeId || `node-${process.pid}`;
  // One clock: repos take "now" from the app's clock, never from the database's now() (issue 7).
  useClock(deps.db, deps.clock);
  const events = new DomainEvents();
  const connections = new ConnectionRegistry();
  const sender = createCommandSender(deps, nodeId, connections);
  const { bus, connectionControl } = sender;
  // Every configuration answer a charger gives is kept, whoever sent the command (OCPP 1.6 §5.3, §5.8).
  const configuration = new ChargerConfigurationService({ db: deps.db, clock: deps.clock });
  const commands = recordingConfiguration(sender.commands, configuration, deps.logger.child({ module: 'chargers' }));
  // Cluster: a live event stored here wakes every node's fan-out (each reads the events table itself).
  const eventNotices = bus && {
    publish: (id: number) => runDetached(deps.logger, 'event notice', () => bus.publishEventStored(id)),
    onStored: (listener: () => void) => bus.onEventStored(listener),
  };
  const services = buildServices(deps, { nodeId, events, commands, configuration, connectionControl, eventNotices });
  const metrics = createMetrics(nodeId, [...ocppActionNames('ocpp1.6'), ...ocppActionNames('ocpp2.0.1')]);
  wireMetrics(metrics, { db: deps.db, clock: deps.clock, services, connections });
  const app = buildHttpApp(deps, services, commands, metrics);
  const server = createServer(config, app);
  if (config.http.maxNewConnectionsReading > 0) gateNewConnections(server, { maxArmed: config.http.maxNewConnectionsReading, armedTimeoutMs: NEW_CONNECTION_ARMED_MS });
  const ocpp = attachOcppEndpoint(server, deps, services, connections, bus, metrics);
  const rt: Runtime = { deps, nodeId, server, services, connections, bus, ocpp, metrics };
  const { chargers, chargerImport, connectors, chargerAuth, chargerConnections, onboarding, lastSeen, authorize, tokens, sessions, locations, apiKeys, partners, credentials, tariffs, cdrs, statements, stuckSessions, alerts, alertRules, webhooks, operators, auth, audit, drivers, access, localLists, adhoc, chargerSecurity, securityEvents, certificates, driverAccounts } = services;
  return {
    server,
    app,
    events,
    connections,
    commands,
    scheduler: services.scheduler,
    pushWorker: services.pushWorker,
    webhookWorker: services.webhookWorker,
    asyncResults: services.asyncResults,
    services: { chargers, chargerImport, connectors, chargerAuth, chargerConnections, onboarding, lastSeen, authorize, tokens, sessions, locations, apiKeys, partners, credentials, tariffs, cdrs, statements, stuckSessions, alerts, alertRules, webhooks, operators, auth, audit, drivers, access, localLists, adhoc, chargerSecurity, securityEvents, certificates, driverAccounts, loadGroups: services.loadGroups, loadManager: services.loadManager },
    nodeId,
    /** Live monitoring: this node's fan-out of stored events to SSE clients, and the recorder that stores them. */
    eventHub: services.eventHub,
    eventRecorder: services.eventRecorder,
    /**
     * Starts serving. As a node (default) it first releases the connections a crashed process left
     * recorded; a tool listening briefly beside a running server (`cpms partner register`) must not.
     */
    /** Prometheus metrics of this app (also scraped at /metrics). */
    metrics,
    listen(port = config.port, host = config.host, opts: ListenOptions = {}): Promise<AddressInfo> {
      return startServing(rt, port, host, opts);
    },
    close(): Promise<void> {
      return stopServing(rt);
    },
    /** Logs the event-loop delay since serving began or since the previous report, and starts afresh. */
    reportLoopDelay(): void {
      logLoopDelay(rt, { isFinal: false });
    },
  };
}
