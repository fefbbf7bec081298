import { randomInt } from 'node:crypto';
import type { Server } from 'node:http';
import type { WebSocket } from 'ws';
import type { AppDeps } from './app.types.ts';
import type { Services } from './services.ts';
import type { Logger } from '../shared/logger.ts';
import { attachOcppServer, type AuthDecision, type Handshake } from '../ocpp/server.ts';
import { RpcConnection, type RpcObserver } from '../ocpp/rpc.ts';
import { ConnectionRegistry } from '../ocpp/connections.ts';
import { Liveness, type Watch } from '../ocpp/liveness.ts';
import { createOcppValidator, type OcppValidator } from '../ocpp/validate.ts';
import { buildRouter, type Dispatch } from '../ocpp/router.ts';
import { STATION_TO_CSMS_ACTIONS } from '../ocpp/v201/actions.ts';
import { OcppError, type OcppProtocol } from '../ocpp/errors.ts';
import { localCommandSender, type CommandSender } from '../ocpp/commands.ts';
import { RedisCommandBus } from '../cluster/redis-command-bus.ts';
import type { ConnectionControl } from '../chargers/onboarding.service.ts';
import { chargerHandlers } from '../chargers/ocpp16.handlers.ts';
import { tokenHandlers } from '../tokens/ocpp16.handlers.ts';
import { sessionHandlers } from '../sessions/ocpp16.handlers.ts';
import { securityHandlers } from '../security/ocpp16.handlers.ts';
import { securityHandlers201 } from '../security/ocpp201.handlers.ts';
import { iso15118Handlers201 } from '../iso15118/ocpp201.handlers.ts';
import { customerInformationHandlers201 } from '../customer-information/ocpp201.handlers.ts';
import { chargerHandlers201 } from '../chargers/ocpp201.handlers.ts';
import { EventFaultService } from '../chargers/event-faults.service.ts';
import { tokenHandlers201 } from '../tokens/ocpp201.handlers.ts';
import { sessionHandlers201 } from '../sessions/ocpp201.handlers.ts';
import { rememberRemoteStart, TransactionEventService, transactionIdOf } from '../sessions/transaction-event.service.ts';
import { configurationHints } from '../chargers/device-model.repo.ts';
import { rememberFirmwareRequest } from '../chargers/firmware-status.service.ts';
import { EvChargingNeedsService } from '../sessions/ev-charging-needs.service.ts';
import { chargingProfileHandlers201 } from '../chargingprofiles/ocpp201.handlers.ts';
import { reservationHandlers201 } from '../commands/ocpp201.handlers.ts';
import { CLOSE_GOING_AWAY, drainConnections, TaskTracker } from './ocpp-drain.ts';

/**
 * Messages a charger may send before the CPMS has accepted it (OCPP 1.6 §4.2.1: Pending/Rejected). OCPP
 * 2.0.1 B02 also lets a Pending station answer what we ask during onboarding (NotifyReport after GetBaseReport).
 */
const ALLOWED_BEFORE_ACCEPTED: Record<OcppProtocol, ReadonlySet<string>> = {
  'ocpp1.6': new Set(['BootNotification', 'Heartbeat', 'StatusNotification', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification', 'DataTransfer']),
  'ocpp2.0.1': new Set(['BootNotification', 'Heartbeat', 'StatusNotification', 'NotifyEvent', 'NotifyReport', 'FirmwareStatusNotification', 'DataTransfer']),
};

// RFC 6455 §7.4.1 1012 (service restart): reconnect; here with the credential the charger now holds.
const RECONNECT_WITH_CREDENTIAL = { code: 1012, reason: 'accepted: reconnect with your credentials' };

/** How commands reach chargers (this node's sockets, or the cluster bus), and how sockets are dropped. */
export function createCommandSender({ config, db, logger }: AppDeps, nodeId: string, connections: ConnectionRegistry) {
  // OCPP 2.0.1 F01/F03: remote start ids are random (the station echoes them), stops name the station's transactionId.
  const local = localCommandSender(connections, {
    transactionIdOf: (cp, sessionId) => transactionIdOf(db, cp, sessionId),
    nextRemoteStartId: () => randomInt(1, 2 ** 31 - 1),
    rememberRemoteStart: (cp, r) => rememberRemoteStart(db, cp, r),
    rememberFirmwareRequest: (cp, requestId) => rememberFirmwareRequest(db, cp, requestId),
    configurationHints: (cp) => configurationHints(db, cp),
  });
  // Cluster mode: commands reach the node that holds the charger's socket over Redis pub/sub.
  const bus = config.redisUrl
    ? new RedisCommandBus({ redisUrl: config.redisUrl, nodeId, db, connections, local, defaultTimeoutMs: config.ocpp.callTimeoutSec * 1000, logger: logger.child({ module: 'cluster' }), reconnectWithCredential: RECONNECT_WITH_CREDENTIAL })
    : undefined;
  const commands: CommandSender = bus ?? local;
  const connectionControl: ConnectionControl = {
    async dropWithoutCredential(chargePointId) {
      connections.drop(chargePointId, { onlyWithoutCredential: true, close: RECONNECT_WITH_CREDENTIAL });
      await bus?.announce({ kind: 'drop-without-credential', chargePointId });
    },
  };
  return { bus, commands, connectionControl };
}

interface ConnectionContext {
  deps: AppDeps;
  s: Services;
  connections: ConnectionRegistry;
  bus: RedisCommandBus | undefined;
  /** Per subprotocol: a connection's protocol is the one negotiated on its socket, never cached per charger. */
  dispatch: Record<OcppProtocol, Dispatch>;
  validators: Record<OcppProtocol, OcppValidator>;
  liveness: Liveness;
  /** Connection records in flight; a shutdown waits for them before recording its own. */
  records: TaskTracker;
  isStopping: boolean;
  /** Metrics of calls and commands. */
  observer?: RpcObserver;
}

/** Silence allowed before the socket is closed: the heartbeat interval given (or to be given) × the offline multiple. */
function idleAllowanceMs(deps: AppDeps, intervalSec?: number): number {
  const { heartbeatIntervalSec, pendingIntervalSec, offlineAfterMissedHeartbeats } = deps.config.ocpp;
  return (intervalSec ?? Math.max(heartbeatIntervalSec, pendingIntervalSec)) * offlineAfterMissedHeartbeats * 1000;
}

/**
 * Every inbound call: after the socket's connection record (the charger row names this socket and its
 * protocol before any of its messages is handled), the registration gate (OCPP 1.6 §4.2.1), then the handler.
 */
function gatedDispatch(ctx: ConnectionContext, chargePointId: string, getConn: () => RpcConnection, watch: () => Watch, recorded: () => Promise<void>) {
  return async (action: string, params: unknown) => {
    await recorded();
    const { protocol } = getConn();
    if (action !== 'BootNotification' && action !== 'Heartbeat') {
      const recorded = await ctx.s.lastSeen.markSeen(chargePointId);
      // A socket opened without credentials never acts as Accepted, whatever the row says by now.
      const status = getConn().hasCredential || recorded !== 'Accepted' ? recorded : 'Pending';
      if (status !== 'Accepted' && !ALLOWED_BEFORE_ACCEPTED[protocol].has(action)) {
        throw new OcppError('SecurityError', `charger is ${status}, not Accepted: ${action} refused`);
      }
    }
    const result = await ctx.dispatch[protocol](chargePointId, action, params);
    if (action === 'BootNotification') watch().booted(idleAllowanceMs(ctx.deps, (result as { interval: number }).interval));
    return result;
  };
}

/** One accepted charger socket: wrap it in an RPC connection, register it, record connect and disconnect. */
function handleConnection(ctx: ConnectionContext, ws: WebSocket, handshake: Handshake, decision: Extract<AuthDecision, { ok: true }>): void {
  const { deps: { config, logger, clock }, s, connections } = ctx;
  const { identity: chargePointId, connectionId } = handshake;
  const log = logger.child({ module: 'ocpp', chargePointId });
  const mustBoot = !decision.hasCredential || decision.registrationStatus !== 'Accepted';
  const watch = ctx.liveness.watch(ws, { firstMessageTimeoutMs: mustBoot ? config.ocpp.firstMessageTimeoutSec * 1000 : undefined, idleTimeoutMs: idleAllowanceMs(ctx.deps) }, log);
  const { rateLimit } = config.ocpp;
  const conn: RpcConnection = new RpcConnection(ws, {
    identity: chargePointId,
    protocol: handshake.protocol,
    connectionId,
    hasCredential: decision.hasCredential,
    validator: ctx.validators[handshake.protocol],
    callTimeoutMs: config.ocpp.callTimeoutSec * 1000,
    maxQueuedInbound: config.ocpp.maxQueuedInboundCalls,
    rateLimit: rateLimit.callsPerSec > 0 ? { perSec: rateLimit.callsPerSec, burst: rateLimit.burst } : undefined,
    now: () => clock.now().getTime(),
    logger: log,
    observer: ctx.observer,
    dispatch: gatedDispatch(ctx, chargePointId, () => conn, () => watch, () => recorded),
  });
  connections.add(conn);
  log.info('charger connected', { protocol: handshake.protocol, remoteAddress: handshake.remoteAddress, hasCredential: decision.hasCredential });
  const recorded = ctx.records.run(log, 'record connection', async () => {
    await s.chargerConnections.onConnected(chargePointId, handshake.protocol, connectionId);
    // Cluster: a node still holding an older socket of this charger drops it (after the row names this one).
    await ctx.bus?.announce({ kind: 'connected', chargePointId, connectionId });
  });
  conn.on('close', ({ code }: { code: number }) => {
    if (!connections.remove(conn)) return;
    log.info('charger disconnected', { code });
    // On shutdown every socket's disconnection is recorded at once, after the sockets are closed.
    if (ctx.isStopping) return;
    // After this socket's connection record (compare-and-clear needs the row to name it first).
    ctx.records.run(log, 'record disconnection', async () => {
      await recorded;
      await s.chargerConnections.onDisconnected(chargePointId, code, connectionId);
    });
  });
}

/** The OCPP WebSocket endpoint on the shared server: handshake auth, then one RPC connection per charger. */
export function attachOcppEndpoint(server: Server, deps: AppDeps, s: Services, connections: ConnectionRegistry, bus: RedisCommandBus | undefined, observer?: RpcObserver) {
  const ctx: ConnectionContext = {
    observer,
    deps,
    s,
    connections,
    bus,
    dispatch: {
      'ocpp1.6': buildRouter([chargerHandlers(s.chargers, s.connectorLimits, s.lastSeen), tokenHandlers(s.authorize), sessionHandlers(s.sessions), securityHandlers(s.securityEvents, s.chargers, s.certificates)]),
      'ocpp2.0.1': buildRouter([
        chargerHandlers201(s.chargers, s.connectorLimits, s.lastSeen, { deviceModel: s.deviceModel, connectors: s.connectors, faults: new EventFaultService({ db: deps.db, logger: deps.logger.child({ module: 'chargers' }) }) }),
        tokenHandlers201(s.authorize),
        securityHandlers201(s.securityEvents, s.chargers, s.certificates),
        iso15118Handlers201(s.certificateStatus, s.contractCertificates),
        customerInformationHandlers201(s.customerInformation),
        sessionHandlers201(new TransactionEventService({
          db: deps.db, sessions: s.sessions, logger: deps.logger.child({ module: 'sessions' }),
          authorize: (idTag, ctx) => s.authorize.authorize(idTag, ctx),
          refineOccupiedStatus: (cp, r) => s.chargers.refineOccupiedStatus(cp, r),
          finalCost: (sessionId) => s.cdrs.finalCost(sessionId),
        }), new EvChargingNeedsService({ db: deps.db, clock: deps.clock })),
        chargingProfileHandlers201(s.chargers),
        reservationHandlers201(s.reservations, deps.logger.child({ module: 'reservations' })),
      ], { recognized: STATION_TO_CSMS_ACTIONS }),
    },
    validators: { 'ocpp1.6': createOcppValidator('ocpp1.6'), 'ocpp2.0.1': createOcppValidator('ocpp2.0.1') },
    liveness: new Liveness(deps.config.ocpp.pingIntervalSec * 1000),
    records: new TaskTracker(),
    isStopping: false,
  };
  const log: Logger = deps.logger.child({ module: 'ocpp' });
  const endpoint = attachOcppServer(server, {
    path: deps.config.ocpp.path,
    maxPayload: deps.config.ocpp.maxFrameBytes,
    authTimeoutMs: deps.config.ocpp.auth.handshakeTimeoutSec * 1000,
    logger: log,
    authenticate: (h) => s.chargerAuth.authenticate(h),
    onConnection: (ws, handshake, decision) => handleConnection(ctx, ws, handshake, decision),
    onAbandoned: (h, decision) => {
      if (decision.claimed) ctx.records.run(log, 'release abandoned handshake', () => s.chargerConnections.releaseClaim(h.identity, h.connectionId));
    },
  });
  return {
    /**
     * Graceful stop: refuse new handshakes, let the calls being handled finish and be answered, close every
     * socket with 1001 (going away) and record all their disconnections at once; bounded by shutdownGraceSec.
     */
    async stop(): Promise<void> {
      endpoint.stopAccepting();
      ctx.isStopping = true;
      ctx.liveness.stop();
      try {
        const sockets = await drainConnections(connections, deps.config.ocpp.shutdownGraceSec * 1000);
        await ctx.records.settled();
        const released = await s.chargerConnections.releaseConnections(sockets, { code: CLOSE_GOING_AWAY, reason: 'server shutting down' });
        log.info(`recorded ${released.length} charger(s) disconnected at shutdown`);
      } finally {
        endpoint.close();
      }
    },
  };
}
