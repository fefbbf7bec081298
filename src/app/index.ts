import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainEvents } from '../shared/events.ts';
import { ConnectionRegistry } from '../ocpp/connections.ts';
import type { AppDeps } from './app.types.ts';
import { buildServices, type Services } from './services.ts';
import { buildHttpApp, createServer } from './http.ts';
import { attachOcppEndpoint, createCommandSender } from './ocpp.ts';

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
}

async function startServing(rt: Runtime, port: number, host: string, opts: ListenOptions): Promise<AddressInfo> {
  const { deps: { config, logger }, server, bus, nodeId } = rt;
  await bus?.start();
  // Before any socket opens: connections a crashed process left recorded (alone: every node's).
  const released = opts.releaseStaleConnections === false ? [] : await rt.services.chargers.releaseStaleConnections({ allNodes: !config.redisUrl });
  if (released.length) logger.warn(`marked ${released.length} charger(s) disconnected that were recorded as connected before start-up`, { module: 'chargers', node: nodeId });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server.address() as AddressInfo;
}

async function stopServing(rt: Runtime): Promise<void> {
  const { services, bus, server } = rt;
  await services.scheduler.stop();
  await services.pushWorker.stop();
  await bus?.stop();
  rt.ocpp.close();
  rt.connections.closeAll();
  await services.asyncResults.drain(); // closed sockets fail pending charger calls: results get queued, not lost
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * Builds the whole system from injected dependencies: services, the OCPP WebSocket endpoint, the admin
 * API and the job scheduler. Never listens by itself (tests call `listen(0)`).
 */
export function createApp(deps: AppDeps) {
  const { config } = deps;
  const nodeId = config.nodeId || `node-${process.pid}`;
  const events = new DomainEvents();
  const connections = new ConnectionRegistry();
  const { bus, commands } = createCommandSender(deps, nodeId, connections);
  const services = buildServices(deps, { nodeId, events, commands });
  const app = buildHttpApp(deps, services, commands);
  const server = createServer(config, app);
  const ocpp = attachOcppEndpoint(server, deps, services, connections);
  const rt: Runtime = { deps, nodeId, server, services, connections, bus, ocpp };
  const { chargers, connectors, authorize, tokens, sessions, locations, apiKeys, partners, credentials, tariffs, cdrs, statements } = services;
  return {
    server,
    app,
    events,
    connections,
    commands,
    scheduler: services.scheduler,
    pushWorker: services.pushWorker,
    asyncResults: services.asyncResults,
    services: { chargers, connectors, authorize, tokens, sessions, locations, apiKeys, partners, credentials, tariffs, cdrs, statements },
    nodeId,
    /**
     * Starts serving. As a node (default) it first releases the connections a crashed process left
     * recorded; a tool listening briefly beside a running server (`cpms partner register`) must not.
     */
    listen(port = config.port, host = config.host, opts: ListenOptions = {}): Promise<AddressInfo> {
      return startServing(rt, port, host, opts);
    },
    close(): Promise<void> {
      return stopServing(rt);
    },
  };
}
