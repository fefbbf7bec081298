import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Knex } from 'knex';
import type { Config } from './config/load.ts';
import type { Clock } from './shared/clock.ts';
import { DomainEvents } from './shared/events.ts';
import type { Logger } from './shared/logger.ts';
import { runDetached } from './shared/background.ts';
import { pingDb } from './db/knex.ts';
import { isMigrated } from './db/migrate.ts';
import { attachOcppServer } from './ocpp/server.ts';
import { RpcConnection } from './ocpp/rpc.ts';
import { ConnectionRegistry } from './ocpp/connections.ts';
import { createOcppValidator } from './ocpp/validate.ts';
import { buildRouter } from './ocpp/router.ts';
import { OcppError } from './ocpp/errors.ts';
import { localCommandSender, type CommandSender } from './ocpp/commands.ts';
import { RedisCommandBus } from './cluster/redis-command-bus.ts';
import { ChargerService } from './chargers/charger.service.ts';
import { chargerHandlers } from './chargers/ocpp16.handlers.ts';
import { chargerAdminRoutes } from './chargers/admin.routes.ts';
import { AuthorizeService } from './tokens/authorize.service.ts';
import { TokenService } from './tokens/token.service.ts';
import { tokenHandlers } from './tokens/ocpp16.handlers.ts';
import { tokenAdminRoutes } from './tokens/admin.routes.ts';
import { OcpiTokenService } from './tokens/ocpi-token.service.ts';
import { tokensModule } from './tokens/ocpi.routes.ts';
import { ocpiRealtimeAuthorizer } from './tokens/realtime.client.ts';
import { HubClientInfoService } from './hubclientinfo/client-info.service.ts';
import { hubClientInfoModule } from './hubclientinfo/ocpi.routes.ts';
import { SessionService } from './sessions/session.service.ts';
import { sessionHandlers } from './sessions/ocpp16.handlers.ts';
import { sessionAdminRoutes } from './sessions/admin.routes.ts';
import { LocationService } from './locations/location.service.ts';
import { locationAdminRoutes } from './locations/admin.routes.ts';
import { ApiKeyService } from './access/apikey.service.ts';
import { createAdminRouter } from './admin/router.ts';
import { JobScheduler } from './jobs/scheduler.ts';
import { registerJobs, registerBillingJobs } from './jobs/registry.ts';
import { CdrService } from './billing/cdr.service.ts';
import { StatementService } from './billing/statement.service.ts';
import { billingAdminRoutes } from './billing/admin.routes.ts';
import { cdrsOcpiModule } from './billing/ocpi.routes.ts';
import { jobAdminRoutes } from './jobs/admin.routes.ts';
import { TariffService } from './tariffs/tariff.service.ts';
import { tariffAdminRoutes } from './tariffs/admin.routes.ts';
import { tariffsOcpiModule } from './tariffs/ocpi.routes.ts';
import { pushLocation } from './locations/ocpi.pushes.ts';
import { locationsOcpiModule } from './locations/ocpi.routes.ts';
import { registerLocationPushes } from './locations/ocpi.pushes.ts';
import { sessionsOcpiModule } from './sessions/ocpi.routes.ts';
import { registerSessionPushes } from './sessions/ocpi.pushes.ts';
import { createOcpiRouter, type OcpiModule } from './ocpi/router.ts';
import { configureOcpiClient } from './ocpi/client.ts';
import { PartnerService } from './partners/partner.service.ts';
import { CredentialsService } from './partners/credentials.service.ts';
import { PushWorker } from './partners/push.worker.ts';
import { partnerAdminRoutes } from './partners/admin.routes.ts';
import { credentialsOcpiModule } from './ocpi/credentials/credentials.routes.ts';
import { AsyncResults } from './commands/async-result.ts';
import { CommandService } from './commands/command.service.ts';
import { commandsModule } from './commands/ocpi.routes.ts';
import { remoteStartHook, remoteStartPreAuthorizer } from './commands/remote-start.hook.ts';
import { ChargingProfileService } from './chargingprofiles/chargingprofile.service.ts';
import { chargingProfilesModule } from './chargingprofiles/ocpi.routes.ts';

export interface AppDeps {
  config: Config;
  db: Knex;
  logger: Logger;
  clock: Clock;
}

export type App = ReturnType<typeof createApp>;

/** Messages a charger may send before the CPMS has accepted it (OCPP 1.6 §4.2.1: Pending/Rejected). */
const ALLOWED_BEFORE_ACCEPTED = new Set(['BootNotification', 'Heartbeat', 'StatusNotification', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification', 'DataTransfer']);

/**
 * Builds the whole system from injected dependencies: services, the OCPP WebSocket endpoint, the admin
 * API and the job scheduler. Never listens by itself (tests call `listen(0)`).
 */
export function createApp(deps: AppDeps) {
  const { config, db, logger, clock } = deps;
  const nodeId = config.nodeId || `node-${process.pid}`;
  const events = new DomainEvents();
  const connections = new ConnectionRegistry();
  const local = localCommandSender(connections);
  // Cluster mode: commands reach the node that holds the charger's socket over Redis pub/sub.
  const bus = config.redisUrl
    ? new RedisCommandBus({ redisUrl: config.redisUrl, nodeId, db, connections, local, defaultTimeoutMs: config.ocpp.callTimeoutSec * 1000, logger: logger.child({ module: 'cluster' }) })
    : undefined;
  const commands: CommandSender = bus ?? local;

  const chargers = new ChargerService({ db, clock, events, logger: logger.child({ module: 'chargers' }), nodeId, acceptUnknownChargers: config.ocpp.acceptUnknownChargers, heartbeatIntervalSec: config.ocpp.heartbeatIntervalSec, pendingIntervalSec: config.ocpp.pendingIntervalSec });
  const authorize = new AuthorizeService({ db, clock, logger: logger.child({ module: 'tokens' }), cacheTtlSec: config.ocpi.authorizationCacheTtlSec });
  const tokens = new TokenService({ db });
  const sessions = new SessionService({ db, clock, events, logger: logger.child({ module: 'sessions' }), authorize });
  // First start hook: a session started by an OCPI START_SESSION carries its token and authorization_reference.
  sessions.onStart(remoteStartHook());
  authorize.usePreAuthorizer(remoteStartPreAuthorizer(db));
  // OCPP 1.6 §7.2 ConcurrentTx: an own token in an ACTIVE session is refused a second one elsewhere.
  authorize.useActiveSessions(sessions);
  const locations = new LocationService({ db });
  const apiKeys = new ApiKeyService({ db, clock });
  const tariffs = new TariffService({ db, clock });
  // The tariff in force is frozen on the session at its start: later tariff changes never reprice it.
  sessions.onStart(async (trx, session) => void (await tariffs.snapshotForSession(trx, session)));
  // An assignment change alters Connector.tariff_ids: the eMSPs get the location again (locations §8.2.2).
  tariffs.onConnectorTariffsChanged((trx, locationId, onlyPartnerFk) => pushLocation(trx, tariffs, locationId, onlyPartnerFk));
  // OCPI 2.2.1 cdrs: the CDR is built, stored and queued for the token's eMSP inside the stop transaction
  const cdrs = new CdrService({ db, clock, logger: logger.child({ module: 'billing' }), defaultCurrency: config.billing.defaultCurrency });
  sessions.onStop(async (trx, session) => void (await cdrs.onSessionStopped(trx, session)));
  const statements = new StatementService({ db, clock, logger: logger.child({ module: 'settlement' }), graceMs: config.billing.settlementGraceMin * 60_000 });
  const partners = new PartnerService({ db, clock });
  // OCPI 2.2.1 tokens §12.2.2.2: roaming tokens are checked at their eMSP in time for the charger
  authorize.useRealtime(ocpiRealtimeAuthorizer({ partners, timeoutMs: config.ocpi.realtimeAuthTimeoutMs }));
  const ocpiTokens = new OcpiTokenService({ db });
  const clientInfo = new HubClientInfoService({ db });
  configureOcpiClient({ timeoutMs: config.ocpi.partnerTimeoutSec * 1000, defaultFromParty: { countryCode: config.operator.countryCode, partyId: config.operator.partyId } });
  const credentials = new CredentialsService({ db, clock, logger: logger.child({ module: 'partners' }), partners });
  const pushWorker = new PushWorker({ db, clock, logger: logger.child({ module: 'push' }), ...config.ocpi.push });
  // OCPI commands / chargingprofiles: answered at once, relayed to the charger, results POSTed via the outbox.
  const asyncResults = new AsyncResults({ db, logger: logger.child({ module: 'commands' }) });
  const ocpiCommands = new CommandService({ db, clock, logger: logger.child({ module: 'commands' }), sender: commands, results: asyncResults, timeoutSec: config.ocpp.callTimeoutSec });
  const chargingProfiles = new ChargingProfileService({ db, clock, logger: logger.child({ module: 'chargingprofiles' }), sender: commands, results: asyncResults, timeoutSec: config.ocpp.callTimeoutSec });
  const scheduler = new JobScheduler({ db, logger: logger.child({ module: 'jobs' }), clock, nodeId });
  registerJobs(scheduler, { config, pushWorker, authorize, tokenSync: { db, clock, logger: logger.child({ module: 'token-sync' }), tokens: ocpiTokens }, chargers });
  registerBillingJobs(scheduler, { config, statements, staleSessions: { db, clock, logger: logger.child({ module: 'stale-sessions' }), sessions, cdrs, staleAfterMin: config.billing.staleSessionAfterMin } });

  // OCPI pushes of locations and sessions, queued inside the services' transactions; registered after
  // the hooks above so that a pushed session already carries its tariff's currency.
  registerLocationPushes({ chargers, locations, tariffs });
  registerSessionPushes(sessions, { defaultCurrency: config.billing.defaultCurrency });

  const dispatch = buildRouter([chargerHandlers(chargers), tokenHandlers(authorize), sessionHandlers(sessions)]);
  const validator = createOcppValidator('ocpp1.6');

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await pingDb(db);
      const migrated = await isMigrated(db);
      res.status(migrated ? 200 : 503).json({ status: migrated ? 'ready' : 'migrations pending' });
    } catch (err) {
      res.status(503).json({ status: 'database unreachable', error: (err as Error).message });
    }
  });
  app.use('/api/v1', createAdminRouter({
    apiKeys,
    logger: logger.child({ module: 'admin' }),
    routers: [
      chargerAdminRoutes({ db, chargers, commands }),
      locationAdminRoutes({ db, locations }),
      tokenAdminRoutes({ db, tokens }),
      sessionAdminRoutes({ db }),
      jobAdminRoutes({ scheduler, db }),
      partnerAdminRoutes({ db, partners, credentials, publicUrl: config.publicUrl }),
      tariffAdminRoutes({ tariffs }),
      billingAdminRoutes({ cdrs, statements }),
    ],
  }));

  // OCPI 2.2.1 modules, each `(deps) => OcpiModule`; listed in the version details in this order.
  const ocpiModules: OcpiModule[] = [
    credentialsOcpiModule({ credentials }),
    tokensModule({ tokens: ocpiTokens }),
    hubClientInfoModule({ clientInfo }),
    tariffsOcpiModule({ tariffs, maxPageLimit: config.ocpi.maxPageLimit }),
    cdrsOcpiModule({ cdrs, maxPageLimit: config.ocpi.maxPageLimit }),
    locationsOcpiModule({ db, tariffs, maxPageLimit: config.ocpi.maxPageLimit }),
    sessionsOcpiModule({ db, clock, maxPageLimit: config.ocpi.maxPageLimit, defaultCurrency: config.billing.defaultCurrency }),
    commandsModule({ commands: ocpiCommands }),
    chargingProfilesModule({ chargingProfiles }),
  ];
  app.use('/ocpi', createOcpiRouter({ auth: partners, logger: logger.child({ module: 'ocpi' }), publicUrl: config.publicUrl }, ocpiModules));

  const server: Server = config.tls.certFile
    ? createHttpsServer({ cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) }, app)
    : createHttpServer(app);

  const ocpp = attachOcppServer(server, {
    path: config.ocpp.path,
    logger: logger.child({ module: 'ocpp' }),
    authenticate: (h) => chargers.authenticate(h),
    onConnection: (ws, handshake) => {
      const chargePointId = handshake.identity;
      const log = logger.child({ module: 'ocpp', chargePointId });
      const conn = new RpcConnection(ws, {
        identity: chargePointId,
        protocol: handshake.protocol,
        validator,
        callTimeoutMs: config.ocpp.callTimeoutSec * 1000,
        logger: log,
        dispatch: async (action, params) => {
          if (action !== 'BootNotification' && action !== 'Heartbeat') {
            const status = await chargers.markSeen(chargePointId);
            if (status !== 'Accepted' && !ALLOWED_BEFORE_ACCEPTED.has(action)) {
              throw new OcppError('SecurityError', `charger is ${status}, not Accepted: ${action} refused`);
            }
          }
          return dispatch(chargePointId, action, params);
        },
      });
      connections.add(conn);
      log.info('charger connected', { protocol: handshake.protocol, remoteAddress: handshake.remoteAddress });
      runDetached(log, 'record connection', () => chargers.onConnected(chargePointId, handshake.protocol));
      conn.on('close', ({ code }: { code: number }) => {
        if (!connections.remove(conn)) return;
        log.info('charger disconnected', { code });
        runDetached(log, 'record disconnection', () => chargers.onDisconnected(chargePointId, code));
      });
    },
  });

  return {
    server,
    app,
    events,
    connections,
    commands,
    scheduler,
    pushWorker,
    asyncResults,
    services: { chargers, authorize, tokens, sessions, locations, apiKeys, partners, credentials, tariffs, cdrs, statements },
    nodeId,
    /**
     * Starts serving. As a node (default) it first releases the connections a crashed process left
     * recorded; a tool listening briefly beside a running server (`cpms partner register`) must not.
     */
    async listen(port = config.port, host = config.host, opts: { releaseStaleConnections?: boolean } = {}): Promise<AddressInfo> {
      await bus?.start();
      // Before any socket opens: connections a crashed process left recorded (alone: every node's).
      const released = opts.releaseStaleConnections === false ? [] : await chargers.releaseStaleConnections({ allNodes: !config.redisUrl });
      if (released.length) logger.warn(`marked ${released.length} charger(s) disconnected that were recorded as connected before start-up`, { module: 'chargers', node: nodeId });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      return server.address() as AddressInfo;
    },
    async close(): Promise<void> {
      await scheduler.stop();
      await pushWorker.stop();
      await bus?.stop();
      ocpp.close();
      connections.closeAll();
      await asyncResults.drain(); // closed sockets fail pending charger calls: results get queued, not lost
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
